package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

// envDigestPoll sets how often the server looks for reminder digests due
// ("5m", "30s"); Config.DigestPoll wins when set.
const envDigestPoll = "ASSAY_DIGEST_POLL"

// defaultDigestPoll is the digest loop's interval: a digest goes out
// within this long after its local hour.
const defaultDigestPoll = 5 * time.Minute

func (m *Main) digestPoll() (time.Duration, error) {
	if m.Config.DigestPoll > 0 {
		return m.Config.DigestPoll, nil
	}
	if v := os.Getenv(envDigestPoll); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return 0, fmt.Errorf("%s=%q: give a duration such as 5m or 30s", envDigestPoll, v)
		}
		return d, nil
	}
	return defaultDigestPoll, nil
}

// startDigests sends the reminder digests due, now and every poll, until
// ctx ends (with the scheduler: --no-scheduler turns it off). Every server
// of a database may run it: each (person, period) is claimed in the store
// before its mail goes, so none is sent twice.
func (m *Main) startDigests(ctx context.Context) error {
	if m.Config.NoScheduler || m.Runner == nil {
		return nil
	}
	poll, err := m.digestPoll()
	if err != nil {
		return err
	}
	n := m.wireAlerts()
	if n == nil {
		return nil
	}
	svc := m.App.WithAlerts(n)
	m.digestDone = make(chan struct{})
	go func() {
		defer close(m.digestDone)
		t := time.NewTicker(poll)
		defer t.Stop()
		for {
			run, err := svc.SendDueDigests(ctx)
			if err != nil && ctx.Err() == nil {
				m.Config.Logger.Warn("reminder digests not all sent", "err", err)
			}
			if run.Sent > 0 || run.Failed > 0 {
				m.Config.Logger.Info("reminder digests", "sent", run.Sent, "failed", run.Failed)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	m.Config.Logger.Info("reminder digests scheduled", "poll", poll.String())
	return nil
}
