package main

import (
	"fmt"

	"github.com/assay-platform/assay"
)

// setClock reads --now (ASSAY_NOW). Unset, commands run on the system
// clock; set, on a clock that starts at that instant and runs on, so a
// demo (or a test's child process) behaves as it would on that day.
func (g *globals) setClock() error {
	if g.now == "" {
		g.clk = assay.SystemClock{}
		return nil
	}
	t, err := assay.ParseInstant(g.now)
	if err != nil {
		return fmt.Errorf("--now: %s", assay.ErrorMessage(err))
	}
	g.clk = assay.ClockFrom(t)
	return nil
}

// clock is the commands' clock (the system clock before setClock ran).
func (g *globals) clock() assay.Clock {
	if g.clk == nil {
		return assay.SystemClock{}
	}
	return g.clk
}
