package terraform

// deriveOpenSearch sets on aws_opensearch_domain and aws_elasticsearch_domain
// (one kind, see kindAlias): encrypted_at_rest, node_to_node_encryption and
// https_enforced (bools) and tls_security_policy. A block the document
// leaves out counts as off: the service turns none of them on unless asked.
func (d *doc) deriveOpenSearch() {
	for _, typ := range []string{"aws_opensearch_domain", "aws_elasticsearch_domain"} {
		for _, r := range d.byType[typ] {
			v := r.Values
			v["encrypted_at_rest"] = boolean(block(v, "encrypt_at_rest"), "enabled", false)
			v["node_to_node_encryption"] = boolean(block(v, "node_to_node_encryption"), "enabled", false)
			ep := block(v, "domain_endpoint_options")
			v["https_enforced"] = boolean(ep, "enforce_https", false)
			v["tls_security_policy"] = str(ep, "tls_security_policy")
		}
	}
}
