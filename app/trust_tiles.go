package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/store"
)

// trustTiles computes the tiles the admin chose, in their order, each
// from the data its definition names; a tile without data says so.
func (a *App) trustTiles(ctx context.Context, org store.OrgStore, s assay.TrustSettings, cp *TrustCheckpoint, now time.Time) ([]assay.TrustTile, error) {
	defs, err := catalog.TrustTiles()
	if err != nil {
		return nil, err
	}
	byID := map[string]assay.TrustTileDef{}
	for _, d := range defs {
		byID[d.ID] = d
	}
	var totals []assay.CheckTotal
	var checks []assay.Check
	out := []assay.TrustTile{}
	for _, id := range s.Tiles {
		d, ok := byID[id]
		if !ok {
			continue // a tile since removed from the file
		}
		if (d.Kind == "checks" || d.Kind == "check_share") && totals == nil {
			if totals, err = org.CheckTotals(ctx); err != nil {
				return nil, err
			}
			if checks, err = a.Checks(ctx, org); err != nil {
				return nil, err
			}
		}
		var t assay.TrustTile
		switch d.Kind {
		case "checks":
			t = checksTile(d, totals, now)
		case "check_share":
			if t, err = a.shareTile(ctx, org, d, totals, checks, now); err != nil {
				return nil, err
			}
		case "access_review":
			if t, err = accessReviewTile(ctx, org, d, now); err != nil {
				return nil, err
			}
		case "ledger":
			t = ledgerTile(d, cp, now)
		case "uptime":
			if t, err = a.uptimeTile(ctx, org, d, s, now); err != nil {
				return nil, err
			}
		default:
			t = trustNoData(d, "Assay does not compute this tile.", now)
		}
		out = append(out, t)
	}
	return out, nil
}

// checksTile is met when every resource passes every listed check.
func checksTile(d assay.TrustTileDef, totals []assay.CheckTotal, now time.Time) assay.TrustTile {
	var pass, fail, errs, used int
	for _, t := range totals {
		if !slices.Contains(d.Checks, t.CheckID) {
			continue
		}
		pass, fail, errs, used = pass+t.Pass, fail+t.Fail, errs+t.Error, used+1
	}
	if pass+fail == 0 {
		return trustNoData(d, "No monitored system is tested by these checks yet.", now)
	}
	t := assay.TrustTile{ID: d.ID, Group: d.Group, Title: d.Title, Explanation: d.Explanation, AsOf: now, State: assay.TileMet, Value: "Yes"}
	t.Inputs = fmt.Sprintf("%d results of %d checks at the latest runs: %d pass, %d fail", pass+fail, used, pass, fail)
	if errs > 0 {
		t.Inputs += fmt.Sprintf(", %d could not be judged", errs)
	}
	if fail > 0 || errs > 0 {
		t.State, t.Value = assay.TileUnmet, "Not yet"
	}
	return t
}

// shareTile is the share of passing results of the checks mapped to
// controls whose criteria start with one of the tile's prefixes.
func (a *App) shareTile(ctx context.Context, org store.OrgStore, d assay.TrustTileDef, totals []assay.CheckTotal, checks []assay.Check, now time.Time) (assay.TrustTile, error) {
	controls, err := org.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return assay.TrustTile{}, err
	}
	critOf := map[string][]string{}
	for _, c := range controls {
		critOf[c.ID] = c.Criteria
	}
	counts := map[string]bool{}
	for _, c := range checks {
		for _, ctl := range c.Controls {
			if slices.ContainsFunc(critOf[ctl], func(cr string) bool {
				return slices.ContainsFunc(d.Criteria, func(p string) bool { return strings.HasPrefix(cr, p) })
			}) {
				counts[c.ID] = true
			}
		}
	}
	var pass, all, used int
	for _, t := range totals {
		if counts[t.CheckID] {
			pass, all, used = pass+t.Pass, all+t.Pass+t.Fail+t.Error, used+1
		}
	}
	if all == 0 {
		return trustNoData(d, "No monitored system is tested by security checks yet.", now), nil
	}
	t := assay.TrustTile{ID: d.ID, Group: d.Group, Title: d.Title, Explanation: d.Explanation, AsOf: now, Value: pct(pass, all), State: assay.TileMet,
		Inputs: fmt.Sprintf("%d of %d results of %d checks pass at the latest runs", pass, all, used)}
	if pass*100 < all*95 {
		t.State = assay.TileUnmet
	}
	return t, nil
}

// accessReviewTile is met by a campaign completed within the tile's days.
func accessReviewTile(ctx context.Context, org store.OrgStore, d assay.TrustTileDef, now time.Time) (assay.TrustTile, error) {
	reviews, err := org.AccessReviews(ctx)
	if err != nil {
		return assay.TrustTile{}, err
	}
	var last *time.Time
	for _, r := range reviews {
		if r.CompletedAt != nil && (last == nil || r.CompletedAt.After(*last)) {
			last = r.CompletedAt
		}
	}
	if last == nil {
		return trustNoData(d, "No access review has been completed yet.", now), nil
	}
	t := assay.TrustTile{ID: d.ID, Group: d.Group, Title: d.Title, Explanation: d.Explanation, AsOf: now, State: assay.TileMet, Value: "Yes",
		Inputs: "The latest access review was completed on " + last.UTC().Format("2 January 2006") + "."}
	if within := d.WithinDays; within > 0 && now.Sub(*last) > time.Duration(within)*24*time.Hour {
		t.State, t.Value = assay.TileUnmet, "Overdue"
	}
	return t, nil
}

// ledgerTile is met once a checkpoint of the ledger is signed.
func ledgerTile(d assay.TrustTileDef, cp *TrustCheckpoint, now time.Time) assay.TrustTile {
	if cp == nil {
		return trustNoData(d, "The ledger has no signed checkpoint yet.", now)
	}
	return assay.TrustTile{ID: d.ID, Group: d.Group, Title: d.Title, Explanation: d.Explanation, AsOf: now, State: assay.TileMet, Value: "Yes",
		Inputs: fmt.Sprintf("Checkpoint of %d entries signed %s; it is in the signed snapshot.", cp.Size, cp.CreatedAt.UTC().Format("2 Jan 2006 15:04 MST"))}
}
