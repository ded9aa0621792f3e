package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// newSSOCmd: single sign-on settings, as on Settings → Single sign-on.
func newSSOCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "sso", Short: "Single sign-on: the organisation's identity provider (admins)"}
	cmd.AddCommand(newSSOShowCmd(g), newSSOSetCmd(g))
	return cmd
}

func printSSO(w io.Writer, s assay.SSOSettings) error {
	if !s.Enabled() {
		fmt.Fprintln(w, "Single sign-on is off.")
		return nil
	}
	fmt.Fprintf(w, "Protocol: %s\nProvider: %s\n", s.Protocol, s.ProviderName)
	if s.Protocol == assay.SSOOIDC {
		fmt.Fprintf(w, "Issuer: %s\nClient id: %s\nClient secret set: %t\nScopes: %s\n", s.Issuer, s.ClientID, s.HasSecret, strings.Join(s.Scopes, " "))
	} else {
		fmt.Fprintf(w, "IdP metadata URL: %s\nIdP metadata pasted: %t\n", orNone(s.SAMLMetadataURL), s.SAMLMetadataXML != "")
	}
	fmt.Fprintf(w, "Groups claim: %s\nDefault role: %s\nRefuse unmapped: %t\nAllowed domains: %s\nSSO only: %t (break-glass user %d)\n",
		orNone(s.GroupsClaim), s.DefaultRole, s.RefuseUnmapped, orNone(strings.Join(s.AllowedDomains, ", ")), s.SSOOnly, s.BreakGlassUserID)
	if len(s.RoleMap) > 0 {
		fmt.Fprint(w, "Group to role:\n"+assay.FormatRoleMap(s.RoleMap))
	}
	return nil
}

func newSSOShowCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "show",
		Short: "Show the single sign-on settings (never the client secret)",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			s, err := c.m.App.SSOSettings(c.ctx, c.p)
			if err != nil {
				return err
			}
			return c.Out(s, func(w io.Writer) error { return printSSO(w, s) })
		},
	})
}

func newSSOSetCmd(g *globals) *cobra.Command {
	var in app.SSOInput
	var protocol, defaultRole, roleMap, domains, scopes, breakGlass, metadataFile string
	var secretStdin bool
	return actingCommand(g, acting{
		Use:   "set",
		Short: "Change the single sign-on settings (flags not given keep their value)",
		Long: "Change the single sign-on settings. The client secret is read from standard input with --client-secret-stdin\n" +
			"and sealed with the server's secret key. --role-map takes \"group=role\" pairs separated by commas.",
		Example: "  assay sso set --protocol oidc --provider-name Okta --issuer https://acme.okta.com --client-id 0oa1 --client-secret-stdin \\\n" +
			"    --groups-claim groups --role-map 'Assay Admins=admin,Auditors=auditor' --default-role viewer",
		Args: cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&protocol, "protocol", "", "oidc, saml or off")
			fl.StringVar(&in.ProviderName, "provider-name", "", `shown as "Sign in with <name>"`)
			fl.StringVar(&in.Issuer, "issuer", "", "OIDC issuer URL")
			fl.StringVar(&in.ClientID, "client-id", "", "OIDC client id")
			fl.BoolVar(&secretStdin, "client-secret-stdin", false, "read the OIDC client secret from standard input")
			fl.BoolVar(&in.ClearSecret, "clear-client-secret", false, "remove the stored client secret")
			fl.StringVar(&scopes, "scopes", "", "OIDC scopes, space or comma separated (default: openid email profile)")
			fl.StringVar(&in.SAMLMetadataURL, "saml-metadata-url", "", "the SAML IdP's metadata URL")
			fl.StringVar(&metadataFile, "saml-metadata-file", "", "a file with the SAML IdP's metadata XML")
			fl.StringVar(&in.GroupsClaim, "groups-claim", "", "the ID token claim or SAML attribute with the person's groups")
			fl.StringVar(&defaultRole, "default-role", "", "role of people whose groups map to none")
			fl.BoolVar(&in.RefuseUnmapped, "refuse-unmapped", false, "refuse people whose groups map to no role")
			fl.StringVar(&roleMap, "role-map", "", `group to role, "group=role,group=role"`)
			fl.StringVar(&domains, "allowed-domains", "", "e-mail domains allowed in, comma separated (empty: any)")
			fl.BoolVar(&in.SSOOnly, "sso-only", false, "refuse passwords for everyone but the break-glass admin")
			fl.StringVar(&breakGlass, "break-glass", "", "e-mail of the admin who keeps a password under --sso-only")
		},
		Run: func(c *call) error {
			cur, err := c.m.App.SSOSettings(c.ctx, c.p)
			if err != nil {
				return err
			}
			next := app.SSOInput{SSOSettings: cur, ClearSecret: in.ClearSecret}
			set := &next.SSOSettings
			if c.changed("protocol") {
				set.Protocol = assay.SSOProtocol(strings.TrimSuffix(protocol, "off"))
			}
			str := map[string]*string{"provider-name": &set.ProviderName, "issuer": &set.Issuer, "client-id": &set.ClientID,
				"saml-metadata-url": &set.SAMLMetadataURL, "groups-claim": &set.GroupsClaim}
			given := map[string]string{"provider-name": in.ProviderName, "issuer": in.Issuer, "client-id": in.ClientID,
				"saml-metadata-url": in.SAMLMetadataURL, "groups-claim": in.GroupsClaim}
			for name, p := range str {
				if c.changed(name) {
					*p = given[name]
				}
			}
			if c.changed("scopes") {
				set.Scopes = assay.SplitList(scopes)
			}
			if c.changed("default-role") {
				set.DefaultRole = assay.Role(defaultRole)
			}
			if c.changed("refuse-unmapped") {
				set.RefuseUnmapped = in.RefuseUnmapped
			}
			if c.changed("sso-only") {
				set.SSOOnly = in.SSOOnly
			}
			if c.changed("allowed-domains") {
				set.AllowedDomains = assay.SplitList(domains)
			}
			if c.changed("role-map") {
				m, err := assay.ParseRoleMap(strings.ReplaceAll(roleMap, ",", "\n"))
				if err != nil {
					return err
				}
				set.RoleMap = m
			}
			if c.changed("saml-metadata-file") {
				b, err := os.ReadFile(metadataFile)
				if err != nil {
					return fmt.Errorf("--saml-metadata-file: %w", err)
				}
				set.SAMLMetadataXML = string(b)
			}
			if c.changed("break-glass") {
				set.BreakGlassUserID = 0
				if breakGlass != "" {
					u, _, err := c.m.Store.UserByEmail(c.ctx, strings.ToLower(strings.TrimSpace(breakGlass)))
					if err != nil || u.OrgID != c.p.User.OrgID {
						return fmt.Errorf("--break-glass: no user %s in this organisation", breakGlass)
					}
					set.BreakGlassUserID = u.ID
				}
			}
			if secretStdin {
				b, err := io.ReadAll(io.LimitReader(c.cmd.InOrStdin(), 64<<10))
				if err != nil {
					return err
				}
				next.ClientSecret = strings.TrimSpace(string(b))
				if next.ClientSecret == "" {
					return errors.New("--client-secret-stdin: standard input was empty")
				}
			}
			if next.ClientSecret != "" || next.ClearSecret {
				if err := c.m.openMonitor(); err != nil {
					return err
				}
			}
			s, err := c.m.App.SetSSOSettings(c.ctx, c.p, next)
			if err != nil {
				return err
			}
			return c.Out(s, func(w io.Writer) error { return printSSO(w, s) })
		},
	})
}
