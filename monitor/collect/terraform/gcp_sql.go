package terraform

// sslModes are the Cloud SQL ssl_mode values that refuse unencrypted
// connections.
var sslModes = map[string]bool{"ENCRYPTED_ONLY": true, "TRUSTED_CLIENT_CERTIFICATE_REQUIRED": true}

// deriveGCPSQL sets on google_sql_database_instance: ssl_required (the
// older require_ssl, or an ssl_mode that refuses plain connections),
// public_ip (IPv4 is on by default), open_to_world (a public IP with an
// authorized network of 0.0.0.0/0 or ::/0), backups_enabled (off by
// default) and deletion_protection (on by default).
func (d *doc) deriveGCPSQL() {
	for _, r := range d.byType["google_sql_database_instance"] {
		v := r.Values
		settings := block(v, "settings")
		ip := block(settings, "ip_configuration")
		v["ssl_required"] = boolean(ip, "require_ssl", false) || sslModes[str(ip, "ssl_mode")]
		v["public_ip"] = ip == nil || boolean(ip, "ipv4_enabled", true)
		world := false
		for _, n := range blocks(ip, "authorized_networks") {
			world = world || str(n, "value") == "0.0.0.0/0" || str(n, "value") == "::/0"
		}
		v["open_to_world"] = v["public_ip"] == true && world
		v["backups_enabled"] = boolean(block(settings, "backup_configuration"), "enabled", false)
		setDefault(v, "deletion_protection", true)
	}
}
