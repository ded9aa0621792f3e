package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

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

func printAlertChannel(cmd *cobra.Command, f actingFlags, c assay.AlertChannel, verb string) error {
	if f.asJSON {
		return printJSON(cmd.OutOrStdout(), c)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s alert channel %d %q (%s, %s).\n", verb, c.ID, c.Name, c.Kind, onOff(c.Enabled))
	return nil
}

func onOff(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}

func newAlertListCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the alert channels (secrets show as set, never their values)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			list, err := m.App.AlertChannels(ctx, p)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"channels": list, "count": len(list)})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tKIND\tSTATE\tSETTINGS\tSECRETS SET")
			for _, c := range list {
				var settings []string
				for _, k := range slices.Sorted(maps.Keys(c.Settings)) {
					settings = append(settings, k+"="+c.Settings[k])
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, c.Kind, onOff(c.Enabled), orNone(strings.Join(settings, " ")), orNone(strings.Join(c.SecretKeys, ", ")))
			}
			return tw.Flush()
		},
	}
	f.add(cmd)
	return cmd
}

func newAlertAddCmd(g *globals) *cobra.Command {
	var f actingFlags
	var kind, name string
	var set, secrets []string
	var disabled bool
	cmd := &cobra.Command{
		Use:   "add --kind webhook|slack|email --name N --set k=v --secret k=v",
		Short: "Add an alert channel; secrets are sealed and never shown again",
		Long: "Add an alert channel. Settings and secrets by kind:\n" +
			"  webhook: --set url=... --secret secret=...\n" +
			"  slack:   --secret url=...\n" +
			"  email:   --set host=... --set from=... --set to=a@x,b@y [--set port= --set tls= --set username=] [--secret password=...]",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			settings, err := alertKeyValues("set", set)
			if err != nil {
				return err
			}
			sealed, err := alertKeyValues("secret", secrets)
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			svc, err := alertServices(m)
			if err != nil {
				return err
			}
			c, err := svc.CreateAlertChannel(ctx, p, assay.NewAlertChannel{Kind: assay.AlertKind(kind), Name: name, Settings: settings, Enabled: !disabled}, sealed)
			if err != nil {
				return err
			}
			return printAlertChannel(cmd, f, c, "Added")
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&kind, "kind", "", "webhook, slack or email (required)")
	fl.StringVar(&name, "name", "", "the channel's name (required)")
	fl.StringArrayVar(&set, "set", nil, "a setting, name=value (repeat)")
	fl.StringArrayVar(&secrets, "secret", nil, "a secret, name=value (repeat); sealed with the server's secret key")
	fl.BoolVar(&disabled, "disabled", false, "add it switched off")
	f.add(cmd)
	return cmd
}

func newAlertUpdateCmd(g *globals) *cobra.Command {
	var f actingFlags
	var name string
	var set, secrets, clear []string
	var enable, disable bool
	cmd := &cobra.Command{
		Use:   "update ID [--name N] [--set k=v] [--secret k=v] [--clear k] [--enable|--disable]",
		Short: "Change a channel: settings given are changed, the others kept; secrets not given are kept",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := numericID("alert channel", args[0])
			if err != nil {
				return err
			}
			if enable && disable {
				return assay.Invalid("enable", "Give --enable or --disable, not both.")
			}
			settings, err := alertKeyValues("set", set)
			if err != nil {
				return err
			}
			sealed, err := alertKeyValues("secret", secrets)
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			svc, err := alertServices(m)
			if err != nil {
				return err
			}
			cur, err := svc.AlertChannel(ctx, p, id)
			if err != nil {
				return err
			}
			var patch assay.AlertChannelPatch
			if cmd.Flags().Changed("name") {
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
			c, err := svc.UpdateAlertChannel(ctx, p, id, patch, sealed, clear)
			if err != nil {
				return err
			}
			return printAlertChannel(cmd, f, c, "Updated")
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&name, "name", "", "a new name")
	fl.StringArrayVar(&set, "set", nil, "change a setting, name=value (name= removes it; repeat)")
	fl.StringArrayVar(&secrets, "secret", nil, "replace a secret, name=value (repeat)")
	fl.StringArrayVar(&clear, "clear", nil, "remove a secret (repeat)")
	fl.BoolVar(&enable, "enable", false, "switch the channel on")
	fl.BoolVar(&disable, "disable", false, "switch the channel off")
	f.add(cmd)
	return cmd
}

func newAlertDeleteCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "delete ID",
		Short: "Remove a channel (its delivery log stays)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := numericID("alert channel", args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if err := m.App.DeleteAlertChannel(ctx, p, id); err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"deleted": id})
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Removed alert channel %d.\n", id)
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func newAlertTestCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "test ID",
		Short: "Send a test message to a channel now and log its delivery",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := numericID("alert channel", args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			svc, err := alertServices(m)
			if err != nil {
				return err
			}
			d, err := svc.TestAlertChannel(ctx, p, id)
			if err != nil && d.ID == 0 {
				return err
			}
			if f.asJSON {
				if perr := printJSON(cmd.OutOrStdout(), d); perr != nil {
					return perr
				}
			} else if err == nil {
				fmt.Fprintf(cmd.OutOrStdout(), "Test message sent to %s (delivery %d, %d attempt(s)).\n", d.ChannelName, d.ID, d.Attempts)
			}
			if err != nil {
				return fmt.Errorf("the test message could not be delivered: %s", d.Error)
			}
			return nil
		},
	}
	f.add(cmd)
	return cmd
}
