package main

import (
	"github.com/spf13/cobra"
)

// newIncidentOwnerCmd sets an incident's owner: an email, or none.
func newIncidentOwnerCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "owner ID EMAIL|none",
		Short: "Give an incident its owner, an active admin or member, or none (admins)",
		Args:  cobra.ExactArgs(2),
		IDs:   []string{"incident"},
		Run: func(c *call) error {
			var owner int64
			if c.args[1] != "none" {
				var err error
				if owner, err = userIDByEmail(c.ctx, c.p, "owner", c.args[1]); err != nil {
					return err
				}
			}
			i, err := c.m.App.SetIncidentOwner(c.ctx, c.p, c.ID(0), owner)
			if err != nil {
				return err
			}
			return printIncident(c, i, "Updated")
		},
	})
}
