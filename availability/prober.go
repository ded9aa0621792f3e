package availability

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// Actor is who the audit trail says opened and resolved downtime incidents.
var Actor = assay.Actor{Name: "assay availability", Via: "system"}

// Alerter tells the alert channels about a downtime (monitor/alert's
// Notifier).
type Alerter interface {
	NotifyAvailability(ctx context.Context, orgID int64, ev assay.AvailabilityEvent) error
}

// Prober defaults.
const (
	DefaultPoll        = 2 * time.Second
	DefaultConcurrency = 16
	// DefaultMinRound is how many probes the health window needs for
	// "every one failed with a network error" to mean the prober, not the
	// services, is at fault.
	DefaultMinRound = 3
	// DefaultHealthWindow is how far back the prober looks at its own
	// results to judge its health.
	DefaultHealthWindow = time.Minute
)

// Prober runs due probes. Every Poll it claims the services due at its
// clock (Store.ClaimDueServices moves each one's next probe forward in the
// same transaction, so across instances sharing a database a due probe is
// claimed by one of them), probes them at once, judges its own health and
// records the results.
//
// Health: a failed probe means "down" only when the prober is healthy. It
// is not when its Canary fails, or when every one of its probes over the
// last HealthWindow (at least MinRound of them) failed to reach its service
// (a network error, not an answer): then the round's failures are recorded
// as unknown. The window spans rounds, since services of different
// intervals are rarely due in the same one.
type Prober struct {
	Store  store.Store
	Clock  assay.Clock
	Probes Probes
	Canary Canary // nil: none
	Alerts Alerter
	// Location names where this prober runs ("": the cluster probes each
	// service once per interval). Named, it probes every service once per
	// interval itself and labels its results (see
	// assay.CombineLocations for how locations are judged together).
	Location     string
	Poll         time.Duration
	Concurrency  int
	MinRound     int           // 0: DefaultMinRound; -1: never judge by the results
	HealthWindow time.Duration // 0: DefaultHealthWindow
	Logger       *slog.Logger

	mu        sync.Mutex
	lastPrune time.Time
	recent    []recentResult // this prober's results within HealthWindow
	cancel    context.CancelFunc
	done      chan struct{}
}

func (p *Prober) defaults() {
	if p.Clock == nil {
		p.Clock = assay.SystemClock{}
	}
	if p.Poll <= 0 {
		p.Poll = DefaultPoll
	}
	if p.Concurrency <= 0 {
		p.Concurrency = DefaultConcurrency
	}
	if p.MinRound == 0 {
		p.MinRound = DefaultMinRound
	}
	if p.HealthWindow <= 0 {
		p.HealthWindow = DefaultHealthWindow
	}
	if p.Logger == nil {
		p.Logger = slog.Default()
	}
	if p.Probes.Now == nil {
		p.Probes.Now = p.Clock.Now
	}
}

// Start probes in the background until Stop.
func (p *Prober) Start() {
	p.defaults()
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel, p.done = cancel, make(chan struct{})
	go func() {
		defer close(p.done)
		t := time.NewTicker(p.Poll)
		defer t.Stop()
		for {
			if _, err := p.Tick(ctx); err != nil && ctx.Err() == nil {
				p.Logger.Warn("availability: round failed", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// Stop ends the background probing and waits for the round in flight.
func (p *Prober) Stop() {
	if p.cancel == nil {
		return
	}
	p.cancel()
	<-p.done
	p.cancel = nil
}

// Round is what one Tick did.
type Round struct {
	Probed   int
	Unknown  bool   // the prober judged itself unhealthy
	Why      string // why it was unhealthy
	Records  []assay.ProbeRecord
	Incident []assay.Incident // incidents opened
	Resolved []int64          // incidents resolved
}

type probed struct {
	svc assay.Service
	at  time.Time
	out Outcome
}

// Tick is one round done at once: claim the due services, probe them,
// record the results. Tests move the clock and call Tick.
func (p *Prober) Tick(ctx context.Context) (Round, error) {
	p.defaults()
	now := p.Clock.Now()
	p.prune(ctx, now)
	due, err := p.Store.ClaimDueServicesFrom(ctx, p.Location, now, 1000)
	if err != nil || len(due) == 0 {
		return Round{}, err
	}
	results := make([]probed, len(due))
	sem := make(chan struct{}, p.Concurrency)
	var wg sync.WaitGroup
	for i, s := range due {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = probed{svc: s, at: now, out: p.Probes.Probe(ctx, s)}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return Round{}, ctx.Err()
	}
	round := Round{Probed: len(results)}
	round.Unknown, round.Why = p.unhealthy(ctx, now, results)
	var errs []error
	for _, r := range results {
		res := assay.ProbeResult{ServiceID: r.svc.ID, At: r.at, LatencyMS: int(r.out.Latency.Milliseconds()), Outcome: assay.OutcomeUp, Location: p.Location}
		if !r.out.OK {
			res.Outcome, res.Error = assay.OutcomeDown, r.out.Err
			if round.Unknown {
				res.Outcome, res.Error = assay.OutcomeUnknown, "prober unhealthy ("+round.Why+"): "+r.out.Err
			}
		}
		org := p.Store.Org(r.svc.OrgID)
		rec, err := org.RecordProbe(ctx, res)
		if err != nil {
			if assay.ErrorCode(err) != assay.ENOTFOUND { // removed while probed
				errs = append(errs, fmt.Errorf("record probe of service %d: %w", r.svc.ID, err))
			}
			continue
		}
		round.Records = append(round.Records, rec)
		if err := p.follow(ctx, org, rec, r.at, &round); err != nil {
			errs = append(errs, fmt.Errorf("service %d: %w", r.svc.ID, err))
		}
	}
	return round, errors.Join(errs...)
}

// recentResult is one of the prober's recent results, for its health.
type recentResult struct {
	at         time.Time
	networkErr bool
}

// unhealthy judges the prober's health from its canary and its results
// over the health window (this round's included).
func (p *Prober) unhealthy(ctx context.Context, now time.Time, results []probed) (bool, string) {
	failed := 0
	p.mu.Lock()
	keep := p.recent[:0]
	for _, r := range p.recent {
		if r.at.After(now.Add(-p.HealthWindow)) && !r.at.After(now) {
			keep = append(keep, r)
		}
	}
	p.recent = keep
	for _, r := range results {
		if !r.out.OK {
			failed++
		}
		p.recent = append(p.recent, recentResult{at: r.at, networkErr: !r.out.OK && r.out.Network})
	}
	window, network := len(p.recent), 0
	for _, r := range p.recent {
		if r.networkErr {
			network++
		}
	}
	p.mu.Unlock()
	if failed == 0 {
		return false, ""
	}
	if p.Canary != nil {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := p.Canary(cctx); err != nil {
			p.Logger.Warn("availability: canary failed; this round's failures are unknown", "err", err)
			return true, err.Error()
		}
	}
	if p.MinRound > 0 && window >= p.MinRound && network == window {
		p.Logger.Warn("availability: every recent probe failed to connect; their failures are unknown", "probes", window, "window", p.HealthWindow.String())
		return true, fmt.Sprintf("all %d probes of the last %s failed to connect", window, p.HealthWindow)
	}
	return false, ""
}

// follow opens the incident of a downtime that has lasted past the
// service's threshold, and resolves it on recovery, alerting both.
func (p *Prober) follow(ctx context.Context, org store.OrgStore, rec assay.ProbeRecord, at time.Time, round *Round) error {
	svc := rec.Service
	switch {
	case svc.State == assay.StateDown && svc.IncidentID == 0 && rec.PeriodID != 0 && svc.StateSince != nil &&
		at.Sub(*svc.StateSince) >= svc.IncidentAfter():
		since := *svc.StateSince
		n := assay.NewIncident{
			Title: fmt.Sprintf("%s is down", svc.Name),
			Description: fmt.Sprintf("Availability monitoring: %s (%s %s) has failed its probes since %s: %s.",
				svc.Name, svc.Kind, svc.Target, since.Format(time.RFC3339), svc.LastError),
			CustomerData: false, OccurredAt: since, DetectedAt: at,
		}
		note := fmt.Sprintf("Detected by availability monitoring at %s: down for %s (threshold %s). Last error: %s",
			at.Format(time.RFC3339), at.Sub(since).Round(time.Second), svc.IncidentAfter(), svc.LastError)
		inc, opened, err := org.OpenDowntimeIncident(ctx, Actor, rec.PeriodID, n, note)
		if err != nil {
			return fmt.Errorf("open incident: %w", err)
		}
		if !opened {
			return nil
		}
		round.Incident = append(round.Incident, inc)
		p.alert(ctx, org.OrgID(), assay.AvailabilityEvent{Kind: assay.AvailabilityDown, Service: svc, Since: since, Error: svc.LastError,
			IncidentID: inc.ID, PeriodID: rec.PeriodID})
	case rec.Recovered && rec.EndedIncidentID != 0 && rec.DownPeriod != nil:
		end := rec.DownPeriod.End(at)
		if err := Resolve(ctx, org, rec.EndedIncidentID, *rec.DownPeriod, end); err != nil {
			return fmt.Errorf("resolve incident %d: %w", rec.EndedIncidentID, err)
		}
		round.Resolved = append(round.Resolved, rec.EndedIncidentID)
		p.alert(ctx, org.OrgID(), assay.AvailabilityEvent{Kind: assay.AvailabilityRecovery, Service: svc, Since: rec.DownPeriod.StartedAt,
			Until: &end, IncidentID: rec.EndedIncidentID, PeriodID: rec.DownPeriod.ID})
	}
	return nil
}

// Resolve moves a downtime's incident on to resolved at end, through the
// states the register requires (triaged as SEV3 unless someone triaged it,
// contained and resolved when the service answered again). An incident
// someone has resolved or closed already is left alone.
func Resolve(ctx context.Context, org store.OrgStore, id int64, period assay.StatusPeriod, end time.Time) error {
	inc, err := org.Incident(ctx, id)
	if err != nil {
		return err
	}
	note := fmt.Sprintf("The service answered again at %s after %s of downtime.", end.Format(time.RFC3339), end.Sub(period.StartedAt).Round(time.Second))
	if inc.Status == assay.IncidentReported {
		if inc, err = org.MoveIncident(ctx, Actor, id, assay.IncidentMove{Status: assay.IncidentTriaged, Severity: "SEV3",
			Note: "Set by availability monitoring"}); err != nil {
			return err
		}
	}
	if inc.Status == assay.IncidentTriaged {
		if inc, err = org.MoveIncident(ctx, Actor, id, assay.IncidentMove{Status: assay.IncidentContained, At: end}); err != nil {
			return err
		}
	}
	if inc.Status == assay.IncidentContained {
		_, err = org.MoveIncident(ctx, Actor, id, assay.IncidentMove{Status: assay.IncidentResolved, At: end, Note: note})
	}
	return err
}

func (p *Prober) alert(ctx context.Context, orgID int64, ev assay.AvailabilityEvent) {
	if p.Alerts == nil {
		return
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	if err := p.Alerts.NotifyAvailability(actx, orgID, ev); err != nil {
		p.Logger.Warn("availability: alerts not all delivered", "org", orgID, "service", ev.Service.ID, "err", err)
	}
}

// prune deletes old raw results and hourly roll-ups, at most once an hour.
func (p *Prober) prune(ctx context.Context, now time.Time) {
	p.mu.Lock()
	if !p.lastPrune.IsZero() && now.Sub(p.lastPrune) < time.Hour && now.After(p.lastPrune) {
		p.mu.Unlock()
		return
	}
	p.lastPrune = now
	p.mu.Unlock()
	if _, err := p.Store.PruneAvailability(ctx, now); err != nil && ctx.Err() == nil {
		p.Logger.Warn("availability: pruning old results failed", "err", err)
	}
}
