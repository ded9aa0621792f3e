package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/store"
)

// demoValidDays is how long a demo control's evidence counts, by frequency.
func demoValidDays(frequency string) int {
	switch frequency {
	case "quarterly", "continuous":
		return 92
	case "monthly", "weekly", "daily":
		return 31
	}
	return 365
}

func demoRoll(id, salt string) int {
	h := fnv.New32a()
	h.Write([]byte(id + "/" + salt))
	return int(h.Sum32() % 100)
}

// seedDemoEvidence gives most implemented demo controls current evidence
// (links and notes, a few small files), some of it expiring within 30
// days, a couple expired and a few controls none, so readiness and the
// dashboard have something true to say. It adds a correction and a few
// evidence requests from the auditor too. Dates count back from clock.
func seedDemoEvidence(ctx context.Context, os store.OrgStore, blobs evidence.Store, clock assay.Clock, people map[string]assay.User) error {
	controls, err := os.Controls(ctx, assay.ControlFilter{Status: assay.StatusImplemented})
	if err != nil {
		return err
	}
	now := clock.Now()
	admin := people[demoEmail]
	actorFor := func(c assay.Control) assay.Actor {
		for _, u := range people {
			if u.ID == c.OwnerID {
				return assay.ActorFor(u, "web")
			}
		}
		return assay.ActorFor(admin, "web")
	}
	files := 0
	var first assay.Evidence
	for _, c := range controls {
		roll := demoRoll(c.ID, "evidence")
		valid := demoValidDays(c.Frequency)
		// How many days ago it was collected: most well inside their
		// validity, 14% expiring within 30 days, 5% expired, 6% none.
		var age int
		switch {
		case roll < 6:
			continue
		case roll < 11: // expired 1 to 37 days ago
			age = valid + 1 + (roll-6)*9
		case roll < 25: // 3 to 29 days left
			age = valid - (3 + (roll-11)*2)
		default: // more than 30 days left
			age = roll % max(1, valid-31)
		}
		collected := now.AddDate(0, 0, -age).Truncate(time.Hour)
		n := assay.NewEvidence{ValidDays: valid, CollectedAt: &collected, Controls: []string{c.ID}}
		if c.Frequency == "quarterly" {
			// A quarterly review covers the three months before it.
			end := assay.Day(collected)
			start := end.AddDate(0, -3, 1)
			n.PeriodStart, n.PeriodEnd = &start, &end
		}
		switch {
		case files < 5 && roll%3 == 0:
			content := demoFile(c, collected)
			b, err := blobs.Put(strings.NewReader(content), 0)
			if err != nil {
				return err
			}
			n.Kind, n.SHA256, n.Size = assay.EvidenceFile, b.SHA256, b.Size
			n.Filename = strings.ToLower(c.ID) + "-" + collected.Format("2006-01-02") + ".csv"
			n.MediaType = "text/csv"
			n.Title = c.Name + ": export " + collected.Format("Jan 2006")
			files++
		case roll%2 == 0:
			n.Kind = assay.EvidenceLink
			n.Title = c.Name + ": record in the shared drive"
			n.URL = "https://drive.northwind.example/soc2/" + strings.ToLower(c.ID) + "/" + collected.Format("2006-01")
		default:
			n.Kind = assay.EvidenceNote
			n.Title = c.Name + ": operator's note"
			n.NoteText = fmt.Sprintf("%s was performed on %s as described in the control.", c.Name, collected.Format("2 January 2006"))
			if more := strings.TrimPrefix(demoNotes[c.Family], "Evidence: "); more != "" {
				n.NoteText += " Records kept: " + more
			}
		}
		ev, err := os.CreateEvidence(ctx, actorFor(c), n)
		if err != nil {
			return fmt.Errorf("%s: %w", c.ID, err)
		}
		if first.ID == 0 && ev.Kind == assay.EvidenceNote && ev.State(now) == assay.EvidenceCurrent {
			first = ev
		}
	}
	auditor := assay.ActorFor(people["morgan@hartwell-assurance.example"], "web")
	// A correction: a note replaced by a fuller one.
	if first.ID != 0 {
		fix := assay.NewEvidence{Kind: assay.EvidenceNote, Title: first.Title + " (with ticket references)", ValidDays: first.ValidDays,
			CollectedAt: &first.CollectedAt, NoteText: first.NoteText + " Tickets: OPS-2291, OPS-2304.", Supersedes: first.ID}
		if _, err := os.CreateEvidence(ctx, assay.ActorFor(admin, "web"), fix); err != nil {
			return err
		}
	}
	// The auditor's requests: one open, one answered and accepted.
	sam := people["sam@northwind.example"]
	open, accepted := false, false
	for _, c := range controls {
		if c.OwnerID != sam.ID || (open && accepted) {
			continue
		}
		items, err := os.EvidenceList(ctx, assay.EvidenceFilter{ControlID: c.ID, State: assay.EvidenceCurrent})
		if err != nil {
			return err
		}
		answer := !accepted && len(items) > 0
		if !answer && open {
			continue
		}
		req, err := os.CreateEvidenceRequest(ctx, auditor, assay.NewEvidenceRequest{ControlID: c.ID, AssigneeID: sam.ID,
			DueDate: now.AddDate(0, 0, 10), Description: "Please share the evidence for " + c.Name + " covering the last quarter."})
		if err != nil {
			return err
		}
		if !answer {
			open = true
			continue
		}
		if _, err := os.SubmitEvidenceRequest(ctx, assay.ActorFor(sam, "web"), req.ID, []int64{items[0].ID}, "Here is the latest record."); err != nil {
			return err
		}
		if _, err := os.DecideEvidenceRequest(ctx, auditor, req.ID, true, "Complete and within the period."); err != nil {
			return err
		}
		accepted = true
	}
	return nil
}

// demoFile is a small CSV export for a control.
func demoFile(c assay.Control, at time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "control,check,result,reviewer,date\n")
	for i, who := range []string{"dana", "sam", "priya", "jordan"} {
		fmt.Fprintf(&b, "%s,item %d,ok,%s,%s\n", c.ID, i+1, who, at.Format("2006-01-02"))
	}
	return b.String()
}
