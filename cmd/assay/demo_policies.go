package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlstore"
)

// demoPolicyStep is one thing that happened to a demo policy, days before
// now (negative). A version step adopts the template (the first step) or
// starts a new version (bump minor or major, with a changelog and a
// section the version adds), then takes it as far as until: submitted a
// day later, approved by the CTO the day after, published the day after
// that. A review step records a review without changes; a retire step
// withdraws the published version.
type demoPolicyStep struct {
	days      int
	kind      string // "version", "review" or "retire"
	bump      string
	changelog string
	section   string
	until     assay.PolicyStatus
}

// demoPolicy is one adopted template and its history. pending are the
// people who have not yet accepted the major version in force.
type demoPolicy struct {
	template string
	owner    string
	scope    assay.PolicyScope
	steps    []demoPolicyStep
	pending  []string
}

func published(days int) demoPolicyStep {
	return demoPolicyStep{days: days, kind: "version", until: assay.PolicyPublished}
}

// demoPolicies: most published, a few at a second major version, one new
// major version waiting for approval, one draft, one retired; vendor
// management's review is overdue and business continuity's is due within
// 30 days. Ella (the portal login) and two others have a policy to accept.
var demoPolicies = []demoPolicy{
	{template: "information-security", owner: demoEmail, steps: []demoPolicyStep{published(-330),
		{days: -15, kind: "version", bump: "major", until: assay.PolicyInReview,
			changelog: "Major revision: rules for generative AI tools, and exceptions recorded in the risk register.",
			section: "## Generative AI tools\n\nOnly the AI assistants named in the approved tools register may be used for work. Customer data, " +
				"invoice images and source code are never pasted into any other AI service. An exception is asked of the Head of Security and " +
				"recorded in the risk register with an expiry date.\n"}}},
	{template: "acceptable-use", owner: "priya@northwind.example", pending: []string{demoEmployeeEmail, "fatima@northwind.example"},
		steps: []demoPolicyStep{published(-320),
			{days: -17, kind: "version", bump: "major", until: assay.PolicyPublished,
				changelog: "Major revision: personal devices must be enrolled in device management before they reach company email or chat.",
				section: "## Personal devices\n\nA personal phone or laptop may open company email, chat or documents only once it is enrolled in " +
					"device management, which enforces a screen lock, disk encryption and remote wipe of company data. Sign-in from a device " +
					"that is not enrolled is refused.\n"}}},
	{template: "access-control", owner: "priya@northwind.example", pending: []string{"noah@northwind.example"},
		steps: []demoPolicyStep{published(-310),
			{days: -93, kind: "version", bump: "minor", until: assay.PolicyPublished,
				changelog: "Break-glass accounts are reviewed every month instead of every quarter.",
				section: "## Break-glass accounts\n\nEmergency administrator accounts are sealed, raise an alert in the security channel " +
					"whenever they are used, and are reviewed every month by the Head of Security.\n"}}},
	{template: "code-of-conduct", owner: "jordan@northwind.example", steps: []demoPolicyStep{published(-480), {days: -150, kind: "review"}}},
	{template: "security-awareness", owner: "jordan@northwind.example", steps: []demoPolicyStep{published(-290)}},
	{template: "incident-response", owner: "sam@northwind.example", steps: []demoPolicyStep{published(-280),
		{days: -155, kind: "version", bump: "major", until: assay.PolicyPublished,
			changelog: "Major revision: customers hear of an incident affecting their data within 72 hours, and the on-call rota names an incident commander.",
			section: "## Customer notice\n\nWhen customer data is affected, the incident commander makes sure the customers concerned are told " +
				"within 72 hours of detection, with what is known, what is being done and whom to contact.\n"},
		{days: -45, kind: "version", bump: "minor", until: assay.PolicyPublished,
			changelog: "Adds a tabletop exercise twice a year.",
			section: "## Exercises\n\nThe plan is rehearsed in a tabletop exercise at least twice a year; what the team learns becomes " +
				"corrective actions with owners and due dates.\n"}}},
	{template: "secure-development", owner: "sam@northwind.example", scope: assay.PolicyScope{Departments: []string{"Engineering"}},
		steps: []demoPolicyStep{published(-270)}},
	{template: "business-continuity", owner: "sam@northwind.example", steps: []demoPolicyStep{published(-348)}},
	{template: "vendor-management", owner: "lena@northwind.example", steps: []demoPolicyStep{published(-403)}},
	{template: "data-retention", owner: "lena@northwind.example", steps: []demoPolicyStep{
		{days: -6, kind: "version", until: assay.PolicyDraft},
		{days: -3, kind: "version", until: assay.PolicyDraft,
			section: "## Invoice images\n\nInvoice images and the fields read from them are deleted 30 days after a customer's contract ends; " +
				"backups that still hold them age out within 35 days.\n"}}},
	{template: "physical-security", owner: "priya@northwind.example", steps: []demoPolicyStep{published(-700), {days: -200, kind: "retire"}}},
}

// demoPolicyHistory seeds the demo's policies one at a time.
type demoPolicyHistory struct {
	ctx      context.Context
	os       store.OrgStore
	clock    assay.Clock
	now      time.Time
	editor   assay.Actor // the Head of Security keeps the texts
	approver assay.Actor // the CTO approves them
	company  string
	users    map[string]assay.User // by lower-case e-mail
	roster   []assay.Person
	batch    demoBatcher // nil: one transaction per acceptance
}

// seedDemoPolicies adopts the demo's policies from the templates and plays
// their history through the store at the dates it happened (the demo
// clock), with the acceptances of the people on the roster.
func seedDemoPolicies(ctx context.Context, os store.OrgStore, clock assay.Clock, people map[string]assay.User, batch demoBatcher) error {
	org, err := os.Organization(ctx)
	if err != nil {
		return err
	}
	users, err := os.Users(ctx)
	if err != nil {
		return err
	}
	roster, err := os.People(ctx)
	if err != nil {
		return err
	}
	h := demoPolicyHistory{ctx: ctx, os: os, clock: clock, now: clock.Now(), company: org.Name, users: map[string]assay.User{}, roster: roster, batch: batch,
		editor: assay.ActorFor(people[demoEmail], "web"), approver: assay.ActorFor(people[demoApproverEmail], "web")}
	for _, u := range users {
		h.users[strings.ToLower(u.Email)] = u
	}
	for _, dp := range demoPolicies {
		if err := h.seed(dp); err != nil {
			return fmt.Errorf("%s: %w", dp.template, err)
		}
	}
	return nil
}

// at is a time of day, days from now.
func (h *demoPolicyHistory) at(days, hour int) time.Time {
	return assay.Day(h.now).AddDate(0, 0, days).Add(time.Duration(hour) * time.Hour)
}

func (h *demoPolicyHistory) seed(dp demoPolicy) error {
	t, ok := catalog.PolicyTemplateByID(dp.template)
	if !ok {
		return fmt.Errorf("no policy template %q", dp.template)
	}
	owner, ok := h.users[dp.owner]
	if !ok {
		return fmt.Errorf("no demo user %s", dp.owner)
	}
	body := assay.FillPolicyTemplate(t.Body, assay.PolicyVars(h.company, owner.Name, assay.DefaultReviewMonths))
	var pol assay.Policy
	accepted := map[int64]map[int]bool{} // person id -> majors accepted
	var inForce *assay.PolicyVersion     // the published version and when it was published
	var since time.Time
	for i, st := range dp.steps {
		// Acceptances of the version in force up to this step.
		if inForce != nil && (st.kind == "retire" || st.until == assay.PolicyPublished) {
			if err := h.accept(dp, *inForce, since, h.at(st.days, 0), accepted); err != nil {
				return err
			}
		}
		switch st.kind {
		case "review":
			if err := demoAt(h.clock, h.at(st.days, 15), func() error { _, err := h.os.ReviewPolicy(h.ctx, h.editor, pol.ID); return err }); err != nil {
				return err
			}
			continue
		case "retire":
			if err := demoAt(h.clock, h.at(st.days, 16), func() error {
				_, err := h.os.MovePolicyVersion(h.ctx, h.editor, inForce.ID, assay.PolicyRetired)
				return err
			}); err != nil {
				return err
			}
			inForce = nil
			continue
		}
		if st.section != "" {
			body += "\n" + st.section
		}
		var v assay.PolicyVersion
		err := demoAt(h.clock, h.at(st.days, 9), func() error {
			if i == 0 {
				p, err := h.os.AdoptPolicy(h.ctx, h.editor, assay.NewPolicy{TemplateID: t.ID, Title: t.Title, Controls: t.Controls, Body: body,
					OwnerID: owner.ID, AppliesTo: dp.scope, ReviewMonths: assay.DefaultReviewMonths})
				if err == nil {
					pol, v = p, *p.Latest
				}
				return err
			}
			var err error
			v, err = h.os.EditPolicy(h.ctx, h.editor, pol.ID, assay.PolicyEdit{Body: body, Changelog: st.changelog, Bump: st.bump})
			return err
		})
		if err != nil {
			return err
		}
		for day, to := range []assay.PolicyStatus{assay.PolicyInReview, assay.PolicyApproved, assay.PolicyPublished} {
			if slices.Index(assay.PolicyStatuses, to) > slices.Index(assay.PolicyStatuses, st.until) {
				break
			}
			who := h.editor
			if to == assay.PolicyApproved {
				who = h.approver
			}
			if err := demoAt(h.clock, h.at(st.days+day+1, 10+day), func() error {
				var err error
				v, err = h.os.MovePolicyVersion(h.ctx, who, v.ID, to)
				return err
			}); err != nil {
				return err
			}
		}
		if v.Status == assay.PolicyPublished {
			inForce, since = &v, *v.PublishedAt
		}
	}
	if inForce != nil {
		return h.accept(dp, *inForce, since, h.now, accepted)
	}
	return nil
}

// accept records the acceptances of version v, in force from since until
// until: each active person accepts a few days after it was published, or
// after they started, unless they already accepted its major version or
// are among the policy's pending people for the major version in force at
// the end. People without an account have theirs recorded by an admin.
func (h *demoPolicyHistory) accept(dp demoPolicy, v assay.PolicyVersion, since, until time.Time, accepted map[int64]map[int]bool) error {
	var batch []sqlstore.BatchAcceptance
	for _, p := range h.roster {
		if !dp.scope.Matches(p.Department, string(p.EmploymentType)) || accepted[p.ID][v.Number.Major] || p.StartDate == nil {
			continue
		}
		if slices.Contains(dp.pending, strings.ToLower(p.Email)) && v.Number.Major == finalMajor(dp) {
			continue
		}
		from := since
		if start := p.StartDate.AddDate(0, 0, 1); start.After(from) {
			from = start
		}
		at := assay.Day(from).AddDate(0, 0, 1+demoRoll(p.Email, dp.template)%5).Add(time.Duration(9+demoRoll(p.Email, "hour")%8) * time.Hour)
		if limit := h.now.Add(-time.Hour); at.After(limit) {
			at = limit
		}
		if !at.Before(until) || p.StatusAt(at) != assay.PersonActive {
			continue // joined too late for this version, or left before reading it
		}
		actor := h.editor // recorded by an admin for people without an account
		if u, ok := h.users[strings.ToLower(p.Email)]; ok {
			actor = assay.ActorFor(u, "web")
		}
		if h.batch != nil {
			batch = append(batch, sqlstore.BatchAcceptance{Actor: actor, PersonID: p.ID, VersionID: v.ID, At: at})
		} else if err := demoAt(h.clock, at, func() error { _, err := h.os.AcceptPolicy(h.ctx, actor, p.ID, v.ID); return err }); err != nil {
			return fmt.Errorf("%s accepts %s: %w", p.Email, v.Version, err)
		}
		if accepted[p.ID] == nil {
			accepted[p.ID] = map[int]bool{}
		}
		accepted[p.ID][v.Number.Major] = true
	}
	if len(batch) > 0 {
		if err := h.batch.AcceptPolicies(h.ctx, h.os.OrgID(), batch); err != nil {
			return fmt.Errorf("acceptances of %s: %w", v.Version, err)
		}
	}
	return nil
}

// finalMajor is the major version the policy's history ends with in force.
func finalMajor(dp demoPolicy) int {
	major := 1
	for i, st := range dp.steps {
		if i > 0 && st.kind == "version" && st.bump == "major" && st.until == assay.PolicyPublished {
			major++
		}
	}
	return major
}
