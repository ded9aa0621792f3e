package terraform

// deriveAzureSQL sets on azurerm_mssql_server: min_tls ("1.0" .. "1.3",
// or "none" when TLS is not enforced), public_network_access, azuread_admin
// (an Entra ID administrator is set, so people sign in as themselves),
// azuread_only (only Entra ID sign-in, no SQL logins) and auditing (a
// server extended auditing policy that is enabled, joined by server_id, or
// the old provider's inline block). Missing values take the provider's
// defaults: TLS 1.2, public network access on.
func (d *doc) deriveAzureSQL() {
	audited := map[*resource]bool{}
	for _, h := range d.byType["azurerm_mssql_server_extended_auditing_policy"] {
		if s := d.find(h, "server_id", "azurerm_mssql_server", "id"); s != nil && boolean(h.Values, "enabled", true) {
			audited[s] = true
		}
	}
	for _, r := range d.byType["azurerm_mssql_server"] {
		v := r.Values
		tls := str(v, "minimum_tls_version")
		switch tls {
		case "":
			tls = "1.2"
		case "Disabled":
			tls = "none"
		}
		v["min_tls"] = tls
		v["public_network_access"] = boolean(v, "public_network_access_enabled", true)
		admin := block(v, "azuread_administrator")
		v["azuread_admin"] = str(admin, "login_username") != "" || str(admin, "object_id") != ""
		v["azuread_only"] = boolean(admin, "azuread_authentication_only", false)
		if inline := block(v, "extended_auditing_policy"); inline != nil && boolean(inline, "enabled", true) {
			audited[r] = true
		}
		v["auditing"] = audited[r]
	}
}
