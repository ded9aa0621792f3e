package awsaccount

import "testing"

// The example accounts the tests read: written for these tests.
const (
	mainAccount  = "111122223333"
	otherAccount = "444455556666"
	testKeyID    = "AKIAIOSFODNN7EXAMPLE"
	testSecret   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	auditRole    = "arn:aws:iam::444455556666:role/AssayAudit"
)

const (
	sshOpen = `<item><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort><groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp><description>anyone</description></item></ipRanges><ipv6Ranges/><prefixListIds/></item>`
	webOpen = `<item><ipProtocol>tcp</ipProtocol><fromPort>443</fromPort><toPort>443</toPort><groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges><item><cidrIpv6>::/0</cidrIpv6></item></ipv6Ranges><prefixListIds/></item>` +
		`<item><ipProtocol>tcp</ipProtocol><fromPort>80</fromPort><toPort>80</toPort><groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item>`
	allOpenV6 = `<item><ipProtocol>-1</ipProtocol><groups/><ipRanges/><ipv6Ranges><item><cidrIpv6>::/0</cidrIpv6></item></ipv6Ranges><prefixListIds/></item>`
	dbPrivate = `<item><ipProtocol>tcp</ipProtocol><fromPort>5432</fromPort><toPort>5432</toPort><groups><item><groupId>sg-0app</groupId><userId>111122223333</userId></item></groups><ipRanges><item><cidrIp>10.0.0.0/8</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item>`
)

// example is a fake with two accounts: the source's own (several pages of
// users, buckets in two regions, two regions of services) and one reached
// by assuming a role.
func example(t testing.TB) *fakeAWS {
	f := newFake(t)
	f.keys[testKeyID] = mainAccount
	f.roles[auditRole] = otherAccount
	f.accounts[mainAccount] = &fakeAccount{id: mainAccount, rootMFA: true, policy: &fakePolicy{minLength: 14, reuse: 24, maxAge: 90},
		users: []fakeUser{
			{name: "alice", created: ago(800), passwordUsed: ago(1), console: true, mfa: 1,
				keys: []fakeKey{{id: "AKIAALICE0000000001", status: "Active", created: ago(30), lastUsed: ago(1)}}},
			{name: "bob", created: ago(400), passwordUsed: ago(5), console: true},
			{name: "ci-deploy", created: ago(700), keys: []fakeKey{
				{id: "AKIACIDEPLOY0000001", status: "Active", created: ago(200), lastUsed: ago(2)},
				{id: "AKIACIDEPLOY0000002", status: "Inactive", created: ago(600), lastUsed: ago(300)}}},
			{name: "old-contractor", created: ago(500), passwordUsed: ago(150), console: true, mfa: 2},
			{name: "svc-unused", created: ago(300), keys: []fakeKey{{id: "AKIASVCUNUSED000001", status: "Active", created: ago(120)}}},
		},
		buckets: []fakeBucket{
			{name: "acme-logs", region: "us-east-1", pab: &[4]bool{true, true, true, true}, sse: "aws:kms", versioning: "Enabled", logTo: "acme-logs-archive"},
			{name: "acme-public-site", region: "eu-west-1", sse: "AES256"},
			{name: "acme-data", region: "us-east-1", pab: &[4]bool{true, true, false, true}, versioning: "Suspended", logTo: "acme-logs", regionNotInList: true},
		},
		regions: map[string]*fakeRegion{
			"us-east-1": {
				trails: []fakeTrail{{name: "org-trail", home: "us-east-1", multi: true, validation: true, logging: true, kms: "arn:aws:kms:us-east-1:111122223333:key/k1"}},
				dbs: []fakeDB{{id: "orders-db", engine: "postgres", encrypted: true, retention: 7}, {id: "legacy-db", engine: "mysql", public: true, retention: 1},
					{id: "orders-db-2", engine: "postgres", encrypted: true, retention: 14}},
				groups: []fakeGroup{{id: "sg-0web", name: "web", perms: webOpen}, {id: "sg-0ssh", name: "bastion", perms: sshOpen},
					{id: "sg-0all", name: "debug", perms: allOpenV6}},
				keys: []fakeKMS{
					{id: "k1", manager: "CUSTOMER", spec: "SYMMETRIC_DEFAULT", state: "Enabled", origin: "AWS_KMS", desc: "trail logs", rotating: true},
					{id: "k2", manager: "CUSTOMER", spec: "SYMMETRIC_DEFAULT", state: "Enabled", origin: "AWS_KMS", desc: "orders data"},
					{id: "k3", manager: "AWS", spec: "SYMMETRIC_DEFAULT", state: "Enabled", origin: "AWS_KMS", desc: "Default key that protects my RDS databases"},
					{id: "k4", manager: "CUSTOMER", spec: "RSA_2048", state: "Enabled", origin: "AWS_KMS", desc: "signing"},
				},
				detectors: map[string]string{"12abc34d567e8fa901bc2d34e56789f0": "ENABLED"},
			},
			"eu-west-1": {
				trails: []fakeTrail{{name: "eu-trail", home: "eu-west-1"}},
				dbs:    []fakeDB{{id: "orders-replica", engine: "postgres", encrypted: true, replicaOf: "arn:aws:rds:us-east-1:111122223333:db:orders-db"}},
				groups: []fakeGroup{{id: "sg-0db", name: "database", perms: dbPrivate}},
			},
		},
	}
	f.accounts[otherAccount] = &fakeAccount{id: otherAccount, rootKeys: 1,
		users:   []fakeUser{{name: "auditor", created: ago(90), passwordUsed: ago(3), console: true, mfa: 1}},
		regions: map[string]*fakeRegion{"us-east-1": {detectors: map[string]string{"98fe": "SUSPENDED"}}},
	}
	return f
}
