package terraform

// deriveAzureKeyVault sets on azurerm_key_vault: purge_protection (bool,
// default off), soft_delete (bool: always on since provider v3; v2's
// soft_delete_enabled can turn it off), soft_delete_days (default 90) and
// public_access (bool: reachable from any network, the default, unless
// public network access is off or its network_acls deny by default).
func (d *doc) deriveAzureKeyVault() {
	for _, r := range d.byType["azurerm_key_vault"] {
		v := r.Values
		v["purge_protection"] = boolean(v, "purge_protection_enabled", false)
		v["soft_delete"] = boolean(v, "soft_delete_enabled", true)
		setDefault(v, "soft_delete_retention_days", int64(90))
		v["soft_delete_days"] = integer(v, "soft_delete_retention_days", 90)
		acls := block(v, "network_acls")
		denyByDefault := acls != nil && str(acls, "default_action") == "Deny"
		v["public_access"] = boolean(v, "public_network_access_enabled", true) && !denyByDefault
	}
}
