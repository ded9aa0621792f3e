package storetest

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/assay-platform/assay"
)

// testMonitorResultsPage: walking CurrentResultsPage from the start, page
// after page, gives exactly CurrentResults in (source, resource, check)
// order, with or without a filter, pages ending inside a resource too.
func testMonitorResultsPage(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	for _, name := range []string{"web", "api"} {
		src := e.newSource(o, name)
		var results []assay.CheckResult
		for i := range 23 {
			id := fmt.Sprintf("%s-host-%02d", name, i)
			status := assay.CheckPass
			if i%4 == 1 {
				status = assay.CheckFail
			}
			results = append(results, mresult("http-tls", id, status), mresult("http-hsts", id, assay.CheckPass), mresult("a-first", id, assay.CheckPass))
		}
		e.record(o, src, assay.RunOK, results...)
	}
	for _, f := range []assay.ResultFilter{{}, {Status: assay.CheckFail}, {CheckID: "http-hsts"}} {
		want := must(o.CurrentResults(e.Ctx, f)).get(t)
		slices.SortFunc(want, func(a, b assay.CurrentResult) int {
			return cmp.Or(cmp.Compare(a.SourceID, b.SourceID), strings.Compare(a.ResourceID, b.ResourceID), strings.Compare(a.CheckID, b.CheckID))
		})
		var got []assay.CurrentResult
		var after assay.ResultKey
		for range 100 {
			page, more, err := o.CurrentResultsPage(e.Ctx, f, after, 7)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, page...)
			if !more {
				break
			}
			last := page[len(page)-1]
			after = assay.ResultKey{SourceID: last.SourceID, ResourceID: last.ResourceID, CheckID: last.CheckID}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("filter %+v: paged %d results, all at once %d\n%v\n%v", f, len(got), len(want), got, want)
		}
	}
}
