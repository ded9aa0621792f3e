package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/store"
)

// DemoCredentials say how to sign in to the demo organisation.
type DemoCredentials struct {
	Org, Email, Password string
	// EmployeeEmail signs in (with Password) to the employee portal.
	EmployeeEmail string
	// AuditorEmail signs in (with Password) as the auditor invited for
	// the demo's Type II engagement.
	AuditorEmail string
}

// Demo sign-in. The demo runs on its own data folder; never reuse these
// credentials for real data.
const (
	demoEmail    = "dana@northwind.example"
	demoPassword = "northwind-demo-2026"
	// demoApproverEmail is the CTO, the second admin, who approves policies.
	demoApproverEmail = "alex@northwind.example"
)

type demoPerson struct {
	name, email string
	role        assay.Role
	owns        []string // owner roles this person covers
}

var demoPeople = []demoPerson{
	{"Dana Reyes", demoEmail, assay.RoleAdmin, []string{"Security lead", "Executive team"}},
	{"Alex Moreno", demoApproverEmail, assay.RoleAdmin, nil}, // approves policies: someone other than their editor must
	{"Sam Okafor", "sam@northwind.example", assay.RoleMember, []string{"Engineering lead", "Operations lead"}},
	{"Priya Natarajan", "priya@northwind.example", assay.RoleMember, []string{"IT administrator"}},
	{"Jordan Blake", "jordan@northwind.example", assay.RoleMember, []string{"HR lead"}},
	{"Lena Fischer", "lena@northwind.example", assay.RoleMember, []string{"Privacy officer"}},
	{"Morgan Lee", "morgan@hartwell-assurance.example", assay.RoleAuditor, nil},
	{"Chris Wong", "chris@northwind.example", assay.RoleViewer, nil},
}

var demoSystem = assay.SystemDescription{
	Services: "Northwind Ledger is an accounts-payable automation service for mid-sized companies. Customers upload supplier invoices by email or API; " +
		"the service extracts the fields, matches them to purchase orders, routes them for approval and exports approved payments to the customer's accounting system.",
	Commitments: "Contracts commit to 99.9% monthly availability of the web application and API, encryption of customer data in transit and at rest, " +
		"deletion of customer data within 30 days of contract end, and notice of a security incident affecting customer data within 72 hours. " +
		"To keep these promises the system must authenticate every user with single sign-on or MFA, keep daily backups for 35 days, and restrict production access to the on-call engineers.",
	Infrastructure: "Production runs in one cloud region across three availability zones: a managed Kubernetes cluster, a managed PostgreSQL cluster with a standby, " +
		"object storage for invoice images, and a managed load balancer with a web application firewall. Infrastructure is defined in Terraform.",
	Software: "A Go API service, a TypeScript web application, an OCR and extraction worker, and the PostgreSQL database. Internal tools: the identity provider, " +
		"the source code host with CI, the ticketing system and the on-call paging service.",
	People: "42 staff: an engineering team of 18 (including a 4-person platform team on call), a 3-person security and IT function led by the Head of Security, " +
		"customer support, finance and sales. The CTO and the Head of Security report security matters to the board each quarter.",
	Procedures: "Changes go through pull requests with one approving review and passing CI before automated deployment. Access is requested by ticket and approved by the system owner; " +
		"leavers lose access on their last day. Incidents follow the incident response plan with a paging rota.",
	Data: "Customer invoice images and extracted fields (supplier names, amounts, bank details), customer user accounts, and audit logs. " +
		"Invoice data and bank details are classified Confidential; everything else is Internal.",
	Boundaries: "In scope: the production environment, the services above and the people and procedures that run them. " +
		"Out of scope: the corporate marketing website and the sales CRM, which hold no customer invoice data.",
	Subservices: []assay.SubserviceOrg{
		{Name: "Cloud infrastructure provider", Services: "Hosting, managed Kubernetes, managed PostgreSQL and object storage; physical and environmental security of data centres.", Method: "carve_out"},
		{Name: "Identity provider", Services: "Workforce single sign-on and multi-factor authentication.", Method: "carve_out"},
	},
	UserEntityControls: "Customers manage which of their users may approve payments, review those users at least quarterly, keep their own API keys secret, " +
		"and check exported payment files in their accounting system before paying.",
}

// demoNotes are evidence notes by control family, for implemented controls.
var demoNotes = map[string]string{
	"Access Control":           "Evidence: identity provider policy export (MFA enforced, SSO for all production tools) saved 2026-10-01; last quarterly access review signed off by system owners.",
	"Governance":               "Evidence: board minutes approving the policy set, and the published policy portal.",
	"People":                   "Evidence: HR system export of signed acknowledgements; onboarding checklist template in the HR system.",
	"Change Management":        "Evidence: branch protection settings on the main repositories; sample of 25 merged pull requests with approvals.",
	"Backup and Recovery":      "Evidence: database backup configuration (35-day retention); restore test report from September.",
	"Logging":                  "Evidence: log retention settings (400 days) and the alert routing configuration.",
	"Vulnerability Management": "Evidence: scanner dashboard export; remediation SLA tracked in the ticketing system.",
	"Incident Response":        "Evidence: incident response plan v3 and the tabletop exercise notes from June.",
}

// SeedDemo fills an empty database with the demo organisation, its
// evidence stored in blobs, dated from clock. It returns nil credentials
// when the database already has an organisation.
func SeedDemo(ctx context.Context, s store.Store, cat *catalog.Catalog, params auth.Params, blobs evidence.Store, clock assay.Clock) (*DemoCredentials, error) {
	return SeedDemoSize(ctx, s, cat, params, blobs, clock, DemoSizeDefault)
}

// SeedDemoSize is SeedDemo at a size: the larger sizes add generated
// controls, evidence, people, registers and a large Terraform source to the
// demo (demo_scale.go).
func SeedDemoSize(ctx context.Context, s store.Store, cat *catalog.Catalog, params auth.Params, blobs evidence.Store, clock assay.Clock, size DemoSize) (*DemoCredentials, error) {
	orgs, err := s.Organizations(ctx)
	if err != nil {
		return nil, err
	}
	if len(orgs) > 0 {
		return nil, nil
	}
	began := time.Now() // the seeding's own duration, for the log, not the demo clock
	system := assay.Actor{Name: "assay demo", Via: "system"}
	library := cat.LibraryControls()
	org, err := s.CreateOrganization(ctx, system, "Northwind Ledger", "northwind",
		assay.Scope{}, append(library, demoScaleControls(library, size.Controls)...)) // Security; the rest joins during the engagement (demo_audit.go)
	if err != nil {
		return nil, err
	}
	os := s.Org(org.ID)
	// Each demo user's hash has its own salt: equal hashes would tell
	// anyone reading the table that the passwords are equal.
	hashFor := func() (string, error) { return auth.HashPassword(demoPassword, params) }
	owners := map[string]int64{}
	people := map[string]assay.User{}
	var admin assay.User
	for _, p := range demoPeople {
		hash, err := hashFor()
		if err != nil {
			return nil, err
		}
		u, err := os.CreateUser(ctx, system, assay.NewUser{Email: p.email, Name: p.name, Role: p.role, Password: demoPassword}, hash)
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", p.email, err)
		}
		if p.email == demoEmail {
			admin = u
		}
		people[p.email] = u
		for _, r := range p.owns {
			owners[r] = u.ID
		}
	}
	actor := assay.ActorFor(admin, "web")
	if _, err := os.UpdateSystemDescription(ctx, actor, demoSystem); err != nil {
		return nil, err
	}
	controls, err := os.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return nil, err
	}
	// The program's controls took their state before the engagement's period.
	start, _ := demoPeriod(clock.Now())
	err = demoAt(clock, start.AddDate(0, -2, 0), func() error {
		for _, c := range controls {
			patch := demoPatch(c, owners)
			if patch.Empty() {
				continue
			}
			if _, err := os.UpdateControl(ctx, actor, c.ID, patch); err != nil {
				return fmt.Errorf("demo control %s: %w", c.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	engagement, err := seedDemoEngagement(ctx, os, clock, people) // demo_audit.go
	if err != nil {
		return nil, fmt.Errorf("demo engagement: %w", err)
	}
	if err := seedDemoEvidence(ctx, os, blobs, clock, people); err != nil {
		return nil, fmt.Errorf("demo evidence: %w", err)
	}
	if err := seedDemoIncidents(ctx, os, clock, people); err != nil {
		return nil, fmt.Errorf("demo incidents: %w", err)
	}
	if err := seedDemoRegisters(ctx, os, clock, people); err != nil {
		return nil, fmt.Errorf("demo registers: %w", err)
	}
	if err := seedDemoMonitoring(ctx, os, blobs, clock, people); err != nil { // demo_monitoring.go
		return nil, fmt.Errorf("demo monitoring: %w", err)
	}
	if err := seedDemoAvailability(ctx, s, os, clock, people); err != nil { // demo_availability.go
		return nil, fmt.Errorf("demo availability: %w", err)
	}
	employee, err := seedDemoPeople(ctx, os, clock, people, hashFor, demoScalePeople(clock.Now(), size.People)) // demo_people.go
	if err != nil {
		return nil, fmt.Errorf("demo people: %w", err)
	}
	if err := seedDemoCollectors(ctx, os, blobs, clock, people); err != nil { // demo_collectors.go
		return nil, fmt.Errorf("demo collectors: %w", err)
	}
	batch, _ := s.(demoBatcher)                                             // the SQL stores write a demo's bulk in batches (demo_batch.go)
	if err := seedDemoPolicies(ctx, os, clock, people, batch); err != nil { // demo_policies.go
		return nil, fmt.Errorf("demo policies: %w", err)
	}
	if err := seedDemoAccessReviews(ctx, os, blobs, clock, people); err != nil { // demo_access_reviews.go
		return nil, fmt.Errorf("demo access reviews: %w", err)
	}
	auditorEmail, err := seedDemoFieldwork(ctx, os, clock, people, hashFor, engagement) // demo_audit.go
	if err != nil {
		return nil, fmt.Errorf("demo fieldwork: %w", err)
	}
	if err := seedDemoTrust(ctx, os, blobs, people); err != nil { // demo_trust.go
		return nil, fmt.Errorf("demo trust center: %w", err)
	}
	if err := seedDemoDigests(ctx, os, people); err != nil { // demo_digests.go
		return nil, fmt.Errorf("demo reminders: %w", err)
	}
	slog.Info("demo seeded", "size", size.Name, "part", "demo", "took", time.Since(began).Round(time.Millisecond))
	if size.Scaled() {
		if err := seedDemoScale(ctx, s, batch, os, clock, people, size); err != nil { // demo_scale.go
			return nil, fmt.Errorf("demo %s: %w", size.Name, err)
		}
	}
	slog.Info("demo seeded", "size", size.Name, "took", time.Since(began).Round(time.Millisecond))
	return &DemoCredentials{Org: org.Name, Email: demoEmail, Password: demoPassword, EmployeeEmail: employee, AuditorEmail: auditorEmail}, nil
}

// demoPatch picks a believable state for a control, the same on every run.
func demoPatch(c assay.Control, owners map[string]int64) assay.ControlPatch {
	var p assay.ControlPatch
	if id, ok := owners[c.OwnerRole]; ok {
		p.OwnerID = &id
	}
	h := fnv.New32a()
	h.Write([]byte(c.ID))
	roll := h.Sum32() % 100
	status := assay.StatusNotStarted
	// Security's controls had been running for a while when the Type II
	// period began (a few are still being built); the categories added
	// since are further behind.
	done, doing := uint32(62), uint32(82)
	if slices.ContainsFunc(c.Criteria, func(id string) bool { return strings.HasPrefix(id, "CC") }) {
		done, doing = 95, 98
	}
	switch {
	case c.ID == "PHY-02" || c.ID == "PHY-03":
		status = assay.StatusNotApplicable
		why := "Northwind is fully remote and has no offices; data centre security is the cloud provider's, covered by PHY-01."
		p.Justification = &why
	case roll < done || slices.ContainsFunc(demoLapses, func(l demoLapse) bool { return l.control == c.ID }):
		status = assay.StatusImplemented
		if note, ok := demoNotes[c.Family]; ok {
			p.Notes = &note
		}
	case roll < doing:
		status = assay.StatusInProgress
		note := "Work under way; target date end of next quarter."
		p.Notes = &note
	}
	if status != assay.StatusNotStarted {
		p.Status = &status
	}
	return p
}
