package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newAlertCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "alert", Short: "Alert channels for monitoring: list, add, update, delete, send a test"}
	cmd.AddCommand(newAlertListCmd(g), newAlertAddCmd(g), newAlertUpdateCmd(g), newAlertDeleteCmd(g), newAlertTestCmd(g))
	return cmd
}

// alertServices are the services with the alert notifier the server uses
// (it needs the secret key to seal and open channel secrets).
func alertServices(m *Main) (*app.App, error) {
	if err := m.openMonitor(); err != nil {
		return nil, err
	}
	if n := m.wireAlerts(); n != nil {
		return m.App.WithAlerts(n), nil
	}
	return m.App, nil
}

// keyValues turns repeated k=v flags into a map.
func alertKeyValues(flag string, pairs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if k = strings.TrimSpace(k); !ok || k == "" {
			return nil, assay.Invalid(flag, "--%s %q: give name=value.", flag, kv)
		}
		out[k] = strings.TrimSpace(v)
	}
	return out, nil
}

func printAlertChannel(c *call, ch assay.AlertChannel, verb string) error {
	return c.Line(ch, "%s alert channel %d %q (%s, %s).", verb, ch.ID, ch.Name, ch.Kind, onOff(ch.Enabled))
}

func onOff(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}

func newAlertListCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "list",
		Short: "List the alert channels (secrets show as set, never their values)",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			list, err := c.m.App.AlertChannels(c.ctx, c.p)
			if err != nil {
				return err
			}
			return c.List("channels", list, len(list), func(w io.Writer) error {
				return table(w, "ID\tNAME\tKIND\tSTATE\tSETTINGS\tSECRETS SET", func(tw io.Writer) {
					for _, ch := range list {
						var settings []string
						for _, k := range slices.Sorted(maps.Keys(ch.Settings)) {
							settings = append(settings, k+"="+ch.Settings[k])
						}
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", ch.ID, ch.Name, ch.Kind, onOff(ch.Enabled), orNone(strings.Join(settings, " ")), orNone(strings.Join(ch.SecretKeys, ", ")))
					}
				})
			})
		},
	})
}

func newAlertAddCmd(g *globals) *cobra.Command {
	var kind, name string
	var set, secrets []string
	var disabled bool
	var settings, sealed map[string]string
	return actingCommand(g, acting{
		Use:   "add --kind webhook|slack|email --name N --set k=v --secret k=v",
		Short: "Add an alert channel; secrets are sealed and never shown again",
		Long: "Add an alert channel. Settings and secrets by kind:\n" +
			"  webhook: --set url=... --secret secret=...\n" +
			"  slack:   --secret url=...\n" +
			"  email:   --set host=... --set from=... --set to=a@x,b@y [--set port= --set tls= --set username=] [--secret password=...]",
		Args: cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&kind, "kind", "", "webhook, slack or email (required)")
			fl.StringVar(&name, "name", "", "the channel's name (required)")
			fl.StringArrayVar(&set, "set", nil, "a setting, name=value (repeat)")
			fl.StringArrayVar(&secrets, "secret", nil, "a secret, name=value (repeat); sealed with the server's secret key")
			fl.BoolVar(&disabled, "disabled", false, "add it switched off")
		},
		Before: func(c *call) (err error) {
			if settings, err = alertKeyValues("set", set); err != nil {
				return err
			}
			sealed, err = alertKeyValues("secret", secrets)
			return err
		},
		Run: func(c *call) error {
			svc, err := alertServices(c.m)
			if err != nil {
				return err
			}
			ch, err := svc.CreateAlertChannel(c.ctx, c.p, assay.NewAlertChannel{Kind: assay.AlertKind(kind), Name: name, Settings: settings, Enabled: !disabled}, sealed)
			if err != nil {
				return err
			}
			return printAlertChannel(c, ch, "Added")
		},
	})
}

func newAlertUpdateCmd(g *globals) *cobra.Command {
	var name string
	var set, secrets, clear []string
	var enable, disable bool
	var settings, sealed map[string]string
	return actingCommand(g, acting{
		Use:   "update ID [--name N] [--set k=v] [--secret k=v] [--clear k] [--enable|--disable]",
		Short: "Change a channel: settings given are changed, the others kept; secrets not given are kept",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"alert channel"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&name, "name", "", "a new name")
			fl.StringArrayVar(&set, "set", nil, "change a setting, name=value (name= removes it; repeat)")
			fl.StringArrayVar(&secrets, "secret", nil, "replace a secret, name=value (repeat)")
			fl.StringArrayVar(&clear, "clear", nil, "remove a secret (repeat)")
			fl.BoolVar(&enable, "enable", false, "switch the channel on")
			fl.BoolVar(&disable, "disable", false, "switch the channel off")
		},
		Before: func(c *call) (err error) {
			if enable && disable {
				return assay.Invalid("enable", "Give --enable or --disable, not both.")
			}
			if settings, err = alertKeyValues("set", set); err != nil {
				return err
			}
			sealed, err = alertKeyValues("secret", secrets)
			return err
		},
		Run: func(c *call) error {
			id := c.ID(0)
			svc, err := alertServices(c.m)
			if err != nil {
				return err
			}
			cur, err := svc.AlertChannel(c.ctx, c.p, id)
			if err != nil {
				return err
			}
			var patch assay.AlertChannelPatch
			if c.changed("name") {
				patch.Name = &name
			}
			if len(settings) > 0 {
				patch.Settings = maps.Clone(cur.Settings)
				if patch.Settings == nil {
					patch.Settings = map[string]string{}
				}
				for k, v := range settings {
					if v == "" {
						delete(patch.Settings, k)
					} else {
						patch.Settings[k] = v
					}
				}
			}
			if enable || disable {
				on := enable
				patch.Enabled = &on
			}
			ch, err := svc.UpdateAlertChannel(c.ctx, c.p, id, patch, sealed, clear)
			if err != nil {
				return err
			}
			return printAlertChannel(c, ch, "Updated")
		},
	})
}

func newAlertDeleteCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "delete ID",
		Short: "Remove a channel (its delivery log stays)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"alert channel"},
		Run: func(c *call) error {
			id := c.ID(0)
			if err := c.m.App.DeleteAlertChannel(c.ctx, c.p, id); err != nil {
				return err
			}
			return c.Line(map[string]any{"deleted": id}, "Removed alert channel %d.", id)
		},
	})
}

func newAlertTestCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "test ID",
		Short: "Send a test message to a channel now and log its delivery",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"alert channel"},
		Run: func(c *call) error {
			svc, err := alertServices(c.m)
			if err != nil {
				return err
			}
			d, err := svc.TestAlertChannel(c.ctx, c.p, c.ID(0))
			if err != nil && d.ID == 0 {
				return err
			}
			if c.json {
				if perr := printJSON(c.w, d); perr != nil {
					return perr
				}
			} else if err == nil {
				fmt.Fprintf(c.w, "Test message sent to %s (delivery %d, %d attempt(s)).\n", d.ChannelName, d.ID, d.Attempts)
			}
			if err != nil {
				return fmt.Errorf("the test message could not be delivered: %s", d.Error)
			}
			return nil
		},
	})
}
