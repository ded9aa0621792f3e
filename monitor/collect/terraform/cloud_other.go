package terraform

import (
	"slices"
	"strings"
)

// publicMembers are the Google principals that mean "anyone".
var publicMembers = []string{"allUsers", "allAuthenticatedUsers"}

// deriveGoogle sets on google_storage_bucket: uniform_bucket_level_access
// (defaulted), public_access_prevention (defaulted), versioning (bool),
// public_members (list) and public (bool: anyone can read, joined from the
// bucket IAM and ACL resources); on google_sql_database_instance:
// ssl_required, public_ip, open_to_world, backups_enabled (bools).
func (d *doc) deriveGoogle() {
	members := map[*resource][]string{}
	bucketOf := func(h *resource) *resource {
		if v := strings.TrimPrefix(str(h.Values, "bucket"), "b/"); v != "" {
			if b := d.findByValue("google_storage_bucket", v, "name", "id"); b != nil {
				return b
			}
		}
		return d.findByRef(h, "bucket", "google_storage_bucket")
	}
	for _, typ := range []string{"google_storage_bucket_iam_member", "google_storage_bucket_iam_binding", "google_storage_bucket_access_control", "google_storage_default_object_access_control"} {
		for _, h := range d.byType[typ] {
			b := bucketOf(h)
			if b == nil {
				continue
			}
			for _, m := range append(append(strs(h.Values, "members"), str(h.Values, "member")), str(h.Values, "entity")) {
				if slices.Contains(publicMembers, m) {
					members[b] = append(members[b], m)
				}
			}
		}
	}
	for _, b := range d.byType["google_storage_bucket"] {
		v := b.Values
		setDefault(v, "uniform_bucket_level_access", false)
		setDefault(v, "public_access_prevention", "inherited")
		v["versioning"] = boolean(block(v, "versioning"), "enabled", false)
		m := slices.Compact(slices.Sorted(slices.Values(members[b])))
		v["public_members"] = anyList(m)
		v["public"] = len(m) > 0 && str(v, "public_access_prevention") != "enforced"
	}
	for _, r := range d.byType["google_sql_database_instance"] {
		v := r.Values
		settings := block(v, "settings")
		ip := block(settings, "ip_configuration")
		mode := str(ip, "ssl_mode")
		v["ssl_required"] = boolean(ip, "require_ssl", false) || mode == "ENCRYPTED_ONLY" || mode == "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
		v["public_ip"] = ip == nil || boolean(ip, "ipv4_enabled", true)
		world := false
		for _, n := range blocks(ip, "authorized_networks") {
			world = world || str(n, "value") == "0.0.0.0/0"
		}
		v["open_to_world"] = v["public_ip"] == true && world
		v["backups_enabled"] = boolean(block(settings, "backup_configuration"), "enabled", false)
		setDefault(v, "deletion_protection", true)
	}
}

// deriveAzure sets on azurerm_storage_account: min_tls ("1.0".."1.3"),
// https_only, blob_public_access, public_network_access (bools); on
// azurerm_mssql_server: min_tls ("1.0".."1.3", or "none") and
// public_network_access (bool). Missing values take the provider's
// defaults.
func (d *doc) deriveAzure() {
	for _, r := range d.byType["azurerm_storage_account"] {
		v := r.Values
		tls := str(v, "min_tls_version")
		if tls == "" {
			tls = "TLS1_2"
		}
		v["min_tls"] = strings.ReplaceAll(strings.TrimPrefix(tls, "TLS"), "_", ".")
		https := boolean(v, "https_traffic_only_enabled", boolean(v, "enable_https_traffic_only", true))
		v["https_only"] = https
		v["blob_public_access"] = boolean(v, "allow_nested_items_to_be_public", boolean(v, "allow_blob_public_access", true))
		v["public_network_access"] = boolean(v, "public_network_access_enabled", true)
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
	}
}
