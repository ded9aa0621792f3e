package assay

import "slices"

// IncidentFigure is the mean response times of a group of incidents, in
// hours; a mean is nil when no incident of the group has reached that stage.
type IncidentFigure struct {
	Key              string   `json:"key"` // a severity or a month (2026-03)
	Count            int      `json:"count"`
	MeanHoursDetect  *float64 `json:"mean_hours_to_detect"`  // occurred to detected
	MeanHoursContain *float64 `json:"mean_hours_to_contain"` // detected to contained
	MeanHoursResolve *float64 `json:"mean_hours_to_resolve"` // detected to resolved
}

// IncidentMetrics are the figures per severity and per month of detection.
// Exercises are left out.
type IncidentMetrics struct {
	Count      int              `json:"count"`
	Overall    IncidentFigure   `json:"overall"`
	BySeverity []IncidentFigure `json:"by_severity"`
	ByMonth    []IncidentFigure `json:"by_month"`
}

type figureSums struct {
	n                        int
	detect, contain, resolve []float64
}

func (s *figureSums) add(i Incident) {
	s.n++
	s.detect = append(s.detect, i.DetectedAt.Sub(i.OccurredAt).Hours())
	if i.ContainedAt != nil {
		s.contain = append(s.contain, i.ContainedAt.Sub(i.DetectedAt).Hours())
	}
	if i.ResolvedAt != nil {
		s.resolve = append(s.resolve, i.ResolvedAt.Sub(i.DetectedAt).Hours())
	}
}

func mean(v []float64) *float64 {
	if len(v) == 0 {
		return nil
	}
	var t float64
	for _, x := range v {
		t += x
	}
	m := float64(int64(t/float64(len(v))*10+0.5)) / 10
	return &m
}

func (s *figureSums) figure(key string) IncidentFigure {
	return IncidentFigure{Key: key, Count: s.n, MeanHoursDetect: mean(s.detect), MeanHoursContain: mean(s.contain), MeanHoursResolve: mean(s.resolve)}
}

// ComputeIncidentMetrics computes the figures over incidents.
func ComputeIncidentMetrics(incidents []Incident) IncidentMetrics {
	var all figureSums
	sev := map[Severity]*figureSums{}
	month := map[string]*figureSums{}
	for _, i := range incidents {
		if i.Exercise {
			continue
		}
		all.add(i)
		if i.Severity != "" {
			if sev[i.Severity] == nil {
				sev[i.Severity] = &figureSums{}
			}
			sev[i.Severity].add(i)
		}
		m := i.DetectedAt.UTC().Format("2006-01")
		if month[m] == nil {
			month[m] = &figureSums{}
		}
		month[m].add(i)
	}
	out := IncidentMetrics{Count: all.n, Overall: all.figure("all"), BySeverity: []IncidentFigure{}, ByMonth: []IncidentFigure{}}
	for _, s := range Severities {
		if f := sev[s]; f != nil {
			out.BySeverity = append(out.BySeverity, f.figure(string(s)))
		}
	}
	keys := make([]string, 0, len(month))
	for k := range month {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		out.ByMonth = append(out.ByMonth, month[k].figure(k))
	}
	return out
}
