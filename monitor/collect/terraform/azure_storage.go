package terraform

import "strings"

// deriveAzureStorage sets on azurerm_storage_account: min_tls ("1.0" ..
// "1.3"), https_only, blob_public_access, public_network_access and
// infrastructure_encryption (bools), reading both the v3 and the v4
// provider's argument names. Missing values take the provider's defaults:
// TLS 1.2, HTTPS only, nested items allowed to be public, public network
// access on, no infrastructure (double) encryption.
func (d *doc) deriveAzureStorage() {
	for _, r := range d.byType["azurerm_storage_account"] {
		v := r.Values
		tls := str(v, "min_tls_version")
		if tls == "" {
			tls = "TLS1_2"
		}
		v["min_tls"] = strings.ReplaceAll(strings.TrimPrefix(tls, "TLS"), "_", ".")
		v["https_only"] = boolean(v, "https_traffic_only_enabled", boolean(v, "enable_https_traffic_only", true))
		v["blob_public_access"] = boolean(v, "allow_nested_items_to_be_public", boolean(v, "allow_blob_public_access", true))
		v["public_network_access"] = boolean(v, "public_network_access_enabled", true)
		v["infrastructure_encryption"] = boolean(v, "infrastructure_encryption_enabled", false)
	}
}
