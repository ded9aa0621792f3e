package web

import (
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

func TestControlOptionsEscapeAndMarkTheChosen(t *testing.T) {
	got := string(controlOptions([]assay.Control{
		{ID: "CC6.1", Name: `Access <script>alert(1)</script> & "roles"`},
		{ID: `X"><b>`, Name: "Quoted id"},
		{ID: "CC7.2", Name: "Monitoring"},
	}, "CC7.2"))
	for _, want := range []string{
		`<option value="CC6.1">CC6.1 · Access &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;roles&#34;</option>`,
		`<option value="X&#34;&gt;&lt;b&gt;">X&#34;&gt;&lt;b&gt; · Quoted id</option>`,
		`<option value="CC7.2" selected>CC7.2 · Monitoring</option>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
	if strings.Count(got, "selected") != 1 || strings.Contains(got, "<script") || strings.Contains(got, "<b>") {
		t.Errorf("more than the chosen control is selected, or markup got through:\n%s", got)
	}
}

func TestCorrectiveStatusOptionsOfferVerifyingToManagersOnly(t *testing.T) {
	member := string(correctiveStatusOptions(assay.CorrectiveInProgress, false))
	want := "\n<option value=\"open\">Open</option>\n<option value=\"in_progress\" selected>In progress</option>\n<option value=\"done\">Done</option>"
	if member != want {
		t.Errorf("an owner's options:\n%q\nwant\n%q", member, want)
	}
	admin := string(correctiveStatusOptions(assay.CorrectiveVerified, true))
	if !strings.Contains(admin, `<option value="verified" selected>Verified</option>`) || strings.Count(admin, "<option") != 4 {
		t.Errorf("a manager's options: %q", admin)
	}
}
