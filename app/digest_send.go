package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/assay-platform/assay"
)

// DigestActor is who the trail says sent a digest.
var DigestActor = assay.Actor{Name: "assay reminders", Via: "system"}

// DigestRun counts what one pass over the users did.
type DigestRun struct {
	Sent    int `json:"sent"`
	Empty   int `json:"empty"`   // due, but nothing to remind of: no e-mail
	Skipped int `json:"skipped"` // not due, already sent, or no reminders for the account
	Failed  int `json:"failed"`
}

// SendDueDigests is the scheduler's job: for every organisation, every
// user whose digest period has come (their local hour on a sending day)
// and who was not sent it yet gets it, once: the (user, period) row is
// claimed in the store before the mail goes, so two servers or a restart
// never send it twice.
func (a *App) SendDueDigests(ctx context.Context) (DigestRun, error) {
	orgs, err := a.store.Organizations(ctx)
	if err != nil {
		return DigestRun{}, err
	}
	var run DigestRun
	var errs []error
	for _, org := range orgs {
		p := a.OperatorPrincipal(org, "digest")
		if err := a.sendDigests(ctx, p, "", false, &run); err != nil {
			errs = append(errs, fmt.Errorf("organisation %s: %w", org.Slug, err))
		}
	}
	return run, errors.Join(errs...)
}

// SendDigestsNow sends the organisation's digests (or only email's)
// without waiting for the hour or the weekday, at most once a day per
// person (period "now:" and the local date), for an admin.
func (a *App) SendDigestsNow(ctx context.Context, p Principal, email string) (DigestRun, error) {
	if err := mayManageDigests(p); err != nil {
		return DigestRun{}, err
	}
	if email != "" {
		if _, err := a.digestPrincipal(ctx, p, email); err != nil {
			return DigestRun{}, err
		}
	}
	var run DigestRun
	err := a.sendDigests(ctx, p, email, true, &run)
	return run, err
}

func (a *App) sendDigests(ctx context.Context, p Principal, only string, now bool, run *DigestRun) error {
	mailer, err := a.digestMailer()
	if err != nil {
		return err
	}
	channels, err := p.Org.AlertChannels(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(channels, func(ch assay.AlertChannel) bool { return ch.Kind == assay.AlertEmail && ch.Enabled }) {
		if now {
			return assay.Errorf(assay.ECONFLICT, "No e-mail alert channel is set up to send reminders through; an admin adds one under Settings → Alerts.")
		}
		return nil // no mail server: nothing to send through, nothing claimed
	}
	at := a.clock.Now()
	defaults, err := p.Org.DigestSettings(ctx)
	if err != nil {
		return err
	}
	prefs, err := p.Org.AllDigestPrefs(ctx)
	if err != nil {
		return err
	}
	users, err := p.Org.Users(ctx)
	if err != nil {
		return err
	}
	cache := &orgObligations{}
	var key []byte
	var errs []error
	for _, u := range users {
		if only != "" && !equalFoldEmail(u.Email, only) {
			continue
		}
		up := Principal{User: u, Org: p.Org, Via: "digest"}
		schedule := assay.ResolveDigest(defaults, prefs[u.ID])
		period, due := assay.DigestPeriod(schedule, at)
		if now && schedule.Frequency != assay.DigestOff {
			period, due = "now:"+at.In(schedule.Location()).Format(time.DateOnly), true
		}
		if !due || digestSkip(ctx, up, at) != "" {
			run.Skipped++
			continue
		}
		if last, err := p.Org.DigestSends(ctx, u.ID, 1); err != nil {
			return err
		} else if len(last) == 1 && last[0].Period == period {
			run.Skipped++
			continue
		}
		d, err := a.buildDigest(ctx, up, at, schedule, cache)
		if err != nil {
			errs = append(errs, fmt.Errorf("digest of %s: %w", u.Email, err))
			continue
		}
		if d.Total == 0 {
			run.Empty++
			continue
		}
		if key == nil {
			if key, err = a.digestKey(ctx, p.Org.OrgID()); err != nil {
				return err
			}
		}
		if err := a.sendOneDigest(ctx, mailer, p.Org.OrgID(), d, period, key, run); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// sendOneDigest claims (user, period), sends and records the outcome.
func (a *App) sendOneDigest(ctx context.Context, mailer DigestMailer, orgID int64, d assay.Digest, period string, key []byte, run *DigestRun) error {
	org := a.store.Org(orgID)
	claimed, err := org.ClaimDigest(ctx, d.UserID, period)
	if err != nil {
		return err
	}
	if !claimed {
		run.Skipped++
		return nil
	}
	m, err := a.digestMail(d, orgID, key)
	if err == nil {
		err = mailer.SendDigestMail(ctx, orgID, m)
	}
	out := assay.DigestSend{UserID: d.UserID, Period: period, Status: assay.DigestSent, Items: d.Total}
	if err != nil {
		out.Status, out.Error = assay.DigestFailed, err.Error()
		run.Failed++
		a.log.Warn("reminder digest not sent", "org", orgID, "user", d.UserID, "period", period, "err", err)
	} else {
		run.Sent++
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if ferr := org.FinishDigest(fctx, DigestActor, out); ferr != nil {
		return errors.Join(err, ferr)
	}
	if err != nil {
		return fmt.Errorf("digest of %s: %w", d.Email, err)
	}
	return nil
}
