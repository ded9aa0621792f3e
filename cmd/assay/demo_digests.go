package main

import (
	"context"
	"slices"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// seedDemoDigests sets reminder defaults (weekly on Monday at 08:00 New
// York time, risk reviews left out) and one member's own choice (daily,
// without vendor reviews), so the reminder pages show something.
func seedDemoDigests(ctx context.Context, os store.OrgStore, people map[string]assay.User) error {
	admin := people[demoEmail]
	actor := assay.ActorFor(admin, "web")
	if _, err := os.UpdateDigestSettings(ctx, actor, assay.DigestSettings{Frequency: assay.DigestWeekly, Weekday: time.Monday,
		Hour: assay.DefaultDigestHour, Timezone: "America/New_York", OptOut: []string{assay.DigestRiskReviews}}); err != nil {
		return err
	}
	var members []assay.User
	for _, u := range people {
		if u.Role == assay.RoleMember {
			members = append(members, u)
		}
	}
	slices.SortFunc(members, func(a, b assay.User) int { return int(a.ID - b.ID) })
	if len(members) == 0 {
		return nil
	}
	m := members[0]
	_, err := os.UpdateDigestPrefs(ctx, assay.ActorFor(m, "web"), assay.DigestPrefs{UserID: m.ID, Frequency: assay.DigestDaily,
		OptOut: []string{assay.DigestRiskReviews, assay.DigestVendorReviews}})
	return err
}
