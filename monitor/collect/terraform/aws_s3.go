package terraform

import (
	"slices"
	"strings"
)

// publicACLs are canned ACLs that let anyone (or any AWS account) read.
var publicACLs = map[string]bool{"public-read": true, "public-read-write": true, "authenticated-read": true}

// awsDefaultSSE is the encryption AWS gives every new bucket (and every
// bucket without a configuration of its own) since 5 January 2023: SSE-S3.
const awsDefaultSSE = "AES256"

// Where a bucket's encryption comes from (encryption_source).
const (
	sseConfigured = "configured"  // the bucket or its encryption resource says
	sseAWSDefault = "aws-default" // left to apply: AWS's default SSE-S3
	sseNone       = "none"        // the document says it has none
)

// s3State gathers what the separate S3 resources say about one bucket.
type s3State struct {
	sse        string // algorithm, "" when none
	sseSource  string // sseConfigured or sseAWSDefault when sse is set
	blocked    bool
	versioning *bool
	logging    bool
	acl        string
	grantees   []string // public groups granted by grant blocks
}

// deriveS3 joins the bucket sub-resources to their bucket and sets on each
// aws_s3_bucket: encrypted, public_access_blocked, versioning, logging,
// public_acl (bools), sse_algorithm, encryption_source (configured,
// aws-default or none) and acl (strings, acl defaulting to private) and
// public_grantees (AllUsers / AuthenticatedUsers granted by grant blocks).
// A bucket whose encryption a plan leaves to apply (after_unknown) and no
// encryption resource configures gets AWS's default, SSE-S3: AWS encrypts
// every bucket so since January 2023, so it is not unencrypted.
func (d *doc) deriveS3() {
	buckets := d.byType["aws_s3_bucket"]
	if len(buckets) == 0 {
		return
	}
	st := map[*resource]*s3State{}
	for _, b := range buckets {
		s := &s3State{acl: str(b.Values, "acl")}
		if rule := block(block(b.Values, "server_side_encryption_configuration"), "rule"); rule != nil {
			s.sse = str(block(rule, "apply_server_side_encryption_by_default"), "sse_algorithm")
			s.sseSource = sseConfigured
		}
		if v := block(b.Values, "versioning"); v != nil {
			on := boolean(v, "enabled", false)
			s.versioning = &on
		}
		s.logging = str(block(b.Values, "logging"), "target_bucket") != ""
		s.grantees = publicGrantees(blocks(b.Values, "grant"))
		st[b] = s
	}
	target := func(h *resource) *s3State {
		if b := d.find(h, "bucket", "aws_s3_bucket", "bucket", "id"); b != nil {
			return st[b]
		}
		return nil
	}
	for _, h := range d.byType["aws_s3_bucket_server_side_encryption_configuration"] {
		if s := target(h); s != nil {
			for _, rule := range blocks(h.Values, "rule") {
				if alg := str(block(rule, "apply_server_side_encryption_by_default"), "sse_algorithm"); alg != "" {
					s.sse, s.sseSource = alg, sseConfigured
				}
			}
		}
	}
	for _, h := range d.byType["aws_s3_bucket_public_access_block"] {
		if s := target(h); s != nil {
			s.blocked = allBlocked(h.Values)
		}
	}
	for _, h := range d.byType["aws_s3_bucket_versioning"] {
		if s := target(h); s != nil {
			on := str(block(h.Values, "versioning_configuration"), "status") == "Enabled"
			s.versioning = &on
		}
	}
	for _, h := range d.byType["aws_s3_bucket_logging"] {
		if s := target(h); s != nil && d.configured(h, "target_bucket") {
			s.logging = true
		}
	}
	for _, h := range d.byType["aws_s3_bucket_acl"] {
		if s := target(h); s != nil {
			if a := str(h.Values, "acl"); a != "" {
				s.acl = a
			}
			for _, acp := range blocks(h.Values, "access_control_policy") {
				for _, g := range blocks(acp, "grant") {
					s.grantees = append(s.grantees, publicGrantees(blocks(g, "grantee"))...)
				}
			}
		}
	}
	account := false
	for _, h := range d.byType["aws_s3_account_public_access_block"] {
		account = account || allBlocked(h.Values)
	}
	var byDefault []string
	for _, b := range buckets {
		s := st[b]
		if s.acl == "" {
			s.acl = "private"
		}
		if s.sse == "" && d.unknown(b, "server_side_encryption_configuration") {
			s.sse, s.sseSource = awsDefaultSSE, sseAWSDefault
			byDefault = append(byDefault, b.Address)
		}
		if s.sse == "" {
			s.sseSource = sseNone
		}
		b.Values["encrypted"] = s.sse != ""
		b.Values["sse_algorithm"] = s.sse
		b.Values["encryption_source"] = s.sseSource
		b.Values["public_access_blocked"] = s.blocked || account
		b.Values["versioning"] = s.versioning != nil && *s.versioning
		b.Values["logging"] = s.logging
		b.Values["acl"] = s.acl
		slices.Sort(s.grantees)
		b.Values["public_grantees"] = anyList(slices.Compact(s.grantees))
		b.Values["public_acl"] = publicACLs[s.acl] || len(s.grantees) > 0
	}
	d.noteList(byDefault,
		"S3 bucket %s has its encryption set only at apply; AWS encrypts every new bucket with SSE-S3 by default since January 2023, so it is judged encrypted (SSE-S3).",
		"%d S3 buckets have their encryption set only at apply; AWS encrypts every new bucket with SSE-S3 by default since January 2023, so they are judged encrypted (SSE-S3): %s.")
}

func allBlocked(v map[string]any) bool {
	return boolean(v, "block_public_acls", false) && boolean(v, "block_public_policy", false) &&
		boolean(v, "ignore_public_acls", false) && boolean(v, "restrict_public_buckets", false)
}

// publicGrantees lists the AllUsers and AuthenticatedUsers groups a grant
// list names.
func publicGrantees(grants []map[string]any) []string {
	var out []string
	for _, g := range grants {
		switch u := str(g, "uri"); u {
		case "http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers":
			out = append(out, strings.TrimPrefix(u, "http://acs.amazonaws.com/groups/global/"))
		}
	}
	return out
}
