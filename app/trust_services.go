package app

import (
	"context"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/availability"
	"github.com/assay-platform/assay/store"
)

// TrustService is a public service's availability as the trust center
// shows it: current status, uptime windows, this month's SLA, 90 daily
// bars and its last 7 days' latency.
type TrustService struct {
	Name       string                `json:"name"`
	Status     string                `json:"status"` // Operational, Down, Under maintenance, Not measured
	Uptime     []availability.Window `json:"uptime"`
	SLA        availability.SLA      `json:"sla"`
	Days       []availability.Day    `json:"days"`
	LatencyP95 int                   `json:"latency_p95_7d_ms"` // the median hour's p95 over 7 days; 0: none measured
	Latency    []assay.Rollup        `json:"-"`                 // hourly, for the chart
}

// Uptime30d is the 30-day figure (-1: not measured).
func (s TrustService) Uptime30d() float64 {
	for _, w := range s.Uptime {
		if w.Name == "30d" {
			return w.Percent
		}
	}
	return -1
}

// trustServices lists the services marked public, with their figures.
func (a *App) trustServices(ctx context.Context, org store.OrgStore, _ assay.TrustSettings, now time.Time) ([]TrustService, error) {
	list, err := org.Services(ctx)
	if err != nil {
		return nil, err
	}
	out := []TrustService{}
	for _, s := range list {
		if !s.Public {
			continue
		}
		f, err := availability.ComputeFigures(ctx, org, s, now, 90, ReportLocation())
		if err != nil {
			return nil, err
		}
		hours, err := org.Rollups(ctx, s.ID, true, now.Add(-7*24*time.Hour).Truncate(time.Hour), now.Add(time.Hour))
		if err != nil {
			return nil, err
		}
		ts := TrustService{Name: s.Name, Uptime: f.Windows, SLA: f.SLA, Days: f.Days, Latency: hours, Status: trustStatus(s)}
		ts.LatencyP95 = medianP95(hours)
		out = append(out, ts)
	}
	return out, nil
}

func trustStatus(s assay.Service) string {
	switch s.State {
	case assay.StateUp:
		return "Operational"
	case assay.StateDown:
		return "Down"
	case assay.StateMaintenance:
		return "Under maintenance"
	}
	return "Not measured now"
}

// medianP95 is the median of the hours' p95 latencies.
func medianP95(hours []assay.Rollup) int {
	var v []int
	for _, h := range hours {
		if h.Up > 0 && h.P95 > 0 {
			v = append(v, h.P95)
		}
	}
	if len(v) == 0 {
		return 0
	}
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
	return v[len(v)/2]
}

// uptimeTile is the public services' uptime over 30 days: the measured
// time up across them, over the measured time.
func (a *App) uptimeTile(ctx context.Context, org store.OrgStore, d assay.TrustTileDef, s assay.TrustSettings, now time.Time) (assay.TrustTile, error) {
	services, err := a.trustServices(ctx, org, s, now)
	if err != nil {
		return assay.TrustTile{}, err
	}
	var measured, down time.Duration
	for _, sv := range services {
		for _, w := range sv.Uptime {
			if w.Name == "30d" && w.Percent >= 0 {
				measured += w.Monitored - w.Maintenance - w.Unknown
				down += w.Down
			}
		}
	}
	if measured <= 0 {
		return trustNoData(d, "No public service has been measured in the last 30 days.", now), nil
	}
	pctUp := 100 * float64(measured-down) / float64(measured)
	if down > 0 && pctUp > 99.99 {
		pctUp = 99.99 // never round downtime away
	}
	t := assay.TrustTile{ID: d.ID, Group: d.Group, Title: d.Title, Explanation: d.Explanation, AsOf: now, Value: fmt.Sprintf("%.2f%%", pctUp), State: assay.TileMet,
		Inputs: fmt.Sprintf("%d public services probed: %s down in %s measured", len(services), spoken(down), spoken(measured))}
	if down > 0 && pctUp < 99.9 {
		t.State = assay.TileUnmet
	}
	return t, nil
}

// spoken writes a duration as people say it: "47 minutes", "3 hours",
// "60 days".
func spoken(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d < time.Minute:
		return plural(int64(d/time.Second), "second")
	case d < 2*time.Hour:
		return plural(int64(d.Round(time.Minute)/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural(int64(d.Round(time.Hour)/time.Hour), "hour")
	}
	return plural(int64(d.Round(24*time.Hour)/(24*time.Hour)), "day")
}
