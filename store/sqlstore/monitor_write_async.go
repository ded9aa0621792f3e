package sqlstore

// runWriter runs a run's statements on PostgreSQL while the run is still
// being fed, on its own goroutine, so the store's consumer (and behind it
// the evaluation) does not wait for each round trip. Every statement of
// the transaction goes through it while it runs, one at a time, in the
// order sent: a pgx connection takes one statement at a time. What a job
// writes is handed over: the consumer no longer touches it.
type runWriter struct {
	jobs   chan func() error
	done   chan struct{}
	failed chan struct{} // closed once err is set
	err    error         // the first job's error
}

// startWriter starts the run's writer (PostgreSQL only).
func (a *runApply) startWriter() {
	if !a.tx.db.dialect.Numbered() {
		return
	}
	w := &runWriter{jobs: make(chan func() error, 2), done: make(chan struct{}), failed: make(chan struct{})}
	go func() {
		defer close(w.done)
		for job := range w.jobs {
			if w.err != nil {
				continue // drain: the run fails
			}
			if err := job(); err != nil {
				w.err = err
				close(w.failed)
			}
		}
	}()
	a.writer = w
}

// stopWriter waits for the writer's jobs and returns its error; later
// statements run on the caller's goroutine again.
func (a *runApply) stopWriter() error {
	w := a.writer
	if w == nil {
		return nil
	}
	a.writer = nil
	close(w.jobs)
	<-w.done
	return w.err
}

// send runs job on the writer, or here when there is none. An error of an
// earlier job is returned as soon as it is known.
func (a *runApply) send(job func() error) error {
	w := a.writer
	if w == nil {
		return job()
	}
	select {
	case <-w.failed:
		return w.err
	default:
	}
	w.jobs <- job
	return nil
}

// wait runs job on the writer and waits for it (a statement whose answer
// the consumer needs).
func (a *runApply) wait(job func() error) error {
	w := a.writer
	if w == nil {
		return job()
	}
	errc := make(chan error, 1)
	if err := a.send(func() error { err := job(); errc <- err; return err }); err != nil {
		return err
	}
	select {
	case err := <-errc:
		return err
	case <-w.failed: // an earlier job failed: this one is not run
		return w.err
	}
}
