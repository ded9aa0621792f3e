package storetest

import (
	"bytes"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

var mfaTests = []subtest{
	{"MFAEnrolAndDisable", testMFAEnrolAndDisable},
	{"MFATOTPStepsAreSpent", testMFATOTPSteps},
	{"MFARecoveryCodesWorkOnce", testMFARecoveryCodes},
	{"MFAPolicy", testMFAPolicy},
	{"MFASessionStage", testMFASessionStage},
	{"MFAOfAnotherOrganization", testMFATenancy},
	{"Passkeys", testPasskeys},
	{"MFAReset", testMFAReset},
}

func hash64(c byte) string { return strings.Repeat(string(c), 64) }

func testMFAEnrolAndDisable(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	u := e.User(o, "ann@example.com", assay.RoleAdmin)
	if st := must(o.MFA(e.Ctx, u.ID)).get(t); st.Enabled || st.SealedSecret != nil {
		t.Fatalf("a new user has MFA: %+v", st)
	}
	sealed := []byte{1, 2, 3, 0, 255}
	check(t, o.EnableMFA(e.Ctx, Actor, u.ID, sealed, 42, []string{hash64('a'), hash64('b'), hash64('c')}), "enable")
	st := must(o.MFA(e.Ctx, u.ID)).get(t)
	if !st.Enabled || !bytes.Equal(st.SealedSecret, sealed) || st.LastStep != 42 || st.RecoveryCodes != 3 || !st.EnrolledAt.Equal(Epoch) {
		t.Fatalf("after enabling: %+v", st)
	}
	wantCode(t, o.EnableMFA(e.Ctx, Actor, u.ID, sealed, 43, nil), assay.ECONFLICT, "enabling twice")
	acts := e.mfaTrail(o)
	if len(acts) != 1 || acts[0].Action != assay.EventMFAEnrolled || acts[0].ObjectID != itoa(u.ID) {
		t.Fatalf("trail after enabling: %+v", acts)
	}
	if strings.Contains(string(acts[0].After), hash64('a')) {
		t.Fatal("a recovery code's hash reached the trail")
	}
	check(t, o.DisableMFA(e.Ctx, Actor, u.ID), "disable")
	if st := must(o.MFA(e.Ctx, u.ID)).get(t); st.Enabled || st.RecoveryCodes != 0 {
		t.Fatalf("after disabling: %+v", st)
	}
	wantCode(t, o.DisableMFA(e.Ctx, Actor, u.ID), assay.ENOTFOUND, "disabling twice")
	if ok := must(o.UseRecoveryCode(e.Ctx, Actor, u.ID, hash64('a'))).get(t); ok {
		t.Fatal("a recovery code worked after MFA was turned off")
	}
	acts = e.mfaTrail(o)
	if len(acts) != 2 || acts[0].Action != assay.EventMFADisabled {
		t.Fatalf("trail after disabling: %+v", acts)
	}
	// Enrolling again starts afresh.
	check(t, o.EnableMFA(e.Ctx, Actor, u.ID, []byte{9}, 7, []string{hash64('d')}), "enable again")
	if st := must(o.MFA(e.Ctx, u.ID)).get(t); st.LastStep != 7 || st.RecoveryCodes != 1 {
		t.Fatalf("after enabling again: %+v", st)
	}
}

func testMFATOTPSteps(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	u := e.User(o, "ann@example.com", assay.RoleMember)
	if ok := must(o.AcceptTOTPStep(e.Ctx, u.ID, 100)).get(t); ok {
		t.Fatal("a step was accepted for a user without MFA")
	}
	check(t, o.EnableMFA(e.Ctx, Actor, u.ID, []byte{1}, 100, nil), "enable")
	for _, c := range []struct {
		step int64
		want bool
	}{{100, false}, {99, false}, {101, true}, {101, false}, {103, true}, {102, false}} {
		if ok := must(o.AcceptTOTPStep(e.Ctx, u.ID, c.step)).get(t); ok != c.want {
			t.Fatalf("step %d accepted = %v, want %v", c.step, ok, c.want)
		}
	}
}

func testMFARecoveryCodes(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	u := e.User(o, "ann@example.com", assay.RoleAdmin)
	check(t, o.EnableMFA(e.Ctx, Actor, u.ID, []byte{1}, 1, []string{hash64('a'), hash64('b')}), "enable")
	before := e.activityCount(o)
	if ok := must(o.UseRecoveryCode(e.Ctx, Actor, u.ID, hash64('a'))).get(t); !ok {
		t.Fatal("an unused recovery code did not work")
	}
	if ok := must(o.UseRecoveryCode(e.Ctx, Actor, u.ID, hash64('a'))).get(t); ok {
		t.Fatal("a recovery code worked twice")
	}
	if ok := must(o.UseRecoveryCode(e.Ctx, Actor, u.ID, hash64('z'))).get(t); ok {
		t.Fatal("an unknown recovery code worked")
	}
	if n := e.activityCount(o); n != before+1 {
		t.Fatalf("trail grew by %d entries, want 1 (the code used)", n-before)
	}
	if st := must(o.MFA(e.Ctx, u.ID)).get(t); st.RecoveryCodes != 1 {
		t.Fatalf("recovery codes left = %d, want 1", st.RecoveryCodes)
	}
	acts := must(o.Activity(e.Ctx, assay.ActivityFilter{Action: assay.EventMFARecoveryUsed, Limit: 10})).get(t)
	if len(acts) != 1 || !strings.Contains(acts[0].Summary, "1 left") {
		t.Fatalf("recovery trail = %+v", acts)
	}
}

func testMFAPolicy(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	if p := must(o.MFAPolicy(e.Ctx)).get(t); p != assay.MFANobody {
		t.Fatalf("default policy = %q", p)
	}
	wantCode(t, o.SetMFAPolicy(e.Ctx, Actor, "some"), assay.EINVALID, "unknown policy")
	check(t, o.SetMFAPolicy(e.Ctx, Actor, assay.MFAAdmins), "set admins")
	check(t, o.SetMFAPolicy(e.Ctx, Actor, assay.MFAAdmins), "set admins again")
	check(t, o.SetMFAPolicy(e.Ctx, Actor, assay.MFAEveryone), "set everyone")
	if p := must(o.MFAPolicy(e.Ctx)).get(t); p != assay.MFAEveryone {
		t.Fatalf("policy = %q", p)
	}
	acts := must(o.Activity(e.Ctx, assay.ActivityFilter{Action: assay.EventMFAPolicy, Limit: 10})).get(t)
	if len(acts) != 2 || !strings.Contains(string(acts[0].Before), "admins") || !strings.Contains(string(acts[0].After), "everyone") {
		t.Fatalf("policy trail = %+v", acts)
	}
	_, other := e.Org("beta")
	if p := must(other.MFAPolicy(e.Ctx)).get(t); p != assay.MFANobody {
		t.Fatalf("another organisation's policy = %q", p)
	}
}

func testMFASessionStage(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	u := e.User(o, "ann@example.com", assay.RoleAdmin)
	for _, stage := range []string{assay.SessionMFACode, assay.SessionMFAEnrol, assay.SessionComplete} {
		check(t, e.Store.CreateSession(e.Ctx, "s-"+stage, assay.Session{UserID: u.ID, OrgID: u.OrgID, CSRFToken: "c",
			CreatedAt: e.Clock.Now(), ExpiresAt: e.Clock.Now().Add(time.Hour), MFAStage: stage}), "create session")
		_, s, err := e.Store.UserBySession(e.Ctx, "s-"+stage)
		check(t, err, "read session")
		if s.MFAStage != stage {
			t.Fatalf("stage = %q, want %q", s.MFAStage, stage)
		}
	}
	// A session still at its second factor is not a signed-in browser.
	if got := must(o.Sessions(e.Ctx, u.ID)).get(t); len(got) != 1 {
		t.Fatalf("sessions listed = %+v, want only the complete one", got)
	}
	if err := e.Store.CreateSession(e.Ctx, "bad", assay.Session{UserID: u.ID, OrgID: u.OrgID, CSRFToken: "c",
		CreatedAt: e.Clock.Now(), ExpiresAt: e.Clock.Now().Add(time.Hour), MFAStage: "half"}); err == nil {
		t.Fatal("a session of an unknown stage was stored")
	}
}

func testMFATenancy(e *Env) {
	t := e.T
	_, a := e.Org("alpha")
	_, b := e.Org("beta")
	u := e.User(a, "ann@example.com", assay.RoleAdmin)
	check(t, a.EnableMFA(e.Ctx, Actor, u.ID, []byte{1}, 1, []string{hash64('a')}), "enable")
	if st := must(b.MFA(e.Ctx, u.ID)).get(t); st.Enabled {
		t.Fatal("another organisation reads the user's MFA")
	}
	wantCode(t, b.EnableMFA(e.Ctx, Actor, u.ID, []byte{1}, 1, nil), assay.ENOTFOUND, "enable through another organisation")
	wantCode(t, b.DisableMFA(e.Ctx, Actor, u.ID), assay.ENOTFOUND, "disable through another organisation")
	if ok := must(b.AcceptTOTPStep(e.Ctx, u.ID, 5)).get(t); ok {
		t.Fatal("another organisation spent a step")
	}
	_, err := b.UseRecoveryCode(e.Ctx, Actor, u.ID, hash64('a'))
	wantCode(t, err, assay.ENOTFOUND, "recovery code through another organisation")
}

// mfaTrail is the organisation's MFA entries, newest first.
func (e *Env) mfaTrail(o store.OrgStore) []assay.Activity {
	var out []assay.Activity
	for _, a := range must(o.Activity(e.Ctx, assay.ActivityFilter{Action: "user.", Limit: 100})).get(e.T) {
		if strings.HasPrefix(a.Action, "user.mfa_") {
			out = append(out, a)
		}
	}
	return out
}

func testPasskeys(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	_, other := e.Org("beta")
	u := e.User(o, "ann@example.com", assay.RoleAdmin)
	if got := must(o.Passkeys(e.Ctx, u.ID)).get(t); len(got) != 0 {
		t.Fatalf("a new user has passkeys: %+v", got)
	}
	p := must(o.AddPasskey(e.Ctx, Actor, assay.Passkey{UserID: u.ID, Name: " Laptop ", CredentialID: "cred-1", Credential: []byte(`{"n":1}`)})).get(t)
	if p.ID == 0 || p.Name != "Laptop" || !p.CreatedAt.Equal(Epoch) {
		t.Fatalf("added = %+v", p)
	}
	_, err := o.AddPasskey(e.Ctx, Actor, assay.Passkey{UserID: u.ID, Name: "again", CredentialID: "cred-1", Credential: []byte(`{}`)})
	wantCode(t, err, assay.ECONFLICT, "the same credential twice")
	_, err = other.AddPasskey(e.Ctx, Actor, assay.Passkey{UserID: u.ID, Name: "x", CredentialID: "cred-2", Credential: []byte(`{}`)})
	wantCode(t, err, assay.ENOTFOUND, "through another organisation")
	e.Clock.Advance(time.Hour)
	check(t, o.UsePasskey(e.Ctx, u.ID, "cred-1", []byte(`{"n":2}`)), "use")
	wantCode(t, other.UsePasskey(e.Ctx, u.ID, "cred-1", []byte(`{}`)), assay.ENOTFOUND, "use through another organisation")
	got := must(o.Passkeys(e.Ctx, u.ID)).get(t)
	if len(got) != 1 || string(got[0].Credential) != `{"n":2}` || got[0].LastUsedAt == nil || !got[0].LastUsedAt.Equal(Epoch.Add(time.Hour)) {
		t.Fatalf("after use: %+v", got)
	}
	if n := len(must(other.Passkeys(e.Ctx, u.ID)).get(t)); n != 0 {
		t.Fatalf("another organisation lists %d passkeys", n)
	}
	wantCode(t, other.RemovePasskey(e.Ctx, Actor, u.ID, p.ID), assay.ENOTFOUND, "remove through another organisation")
	check(t, o.RemovePasskey(e.Ctx, Actor, u.ID, p.ID), "remove")
	wantCode(t, o.RemovePasskey(e.Ctx, Actor, u.ID, p.ID), assay.ENOTFOUND, "remove twice")
	var actions []string
	for _, a := range must(o.Activity(e.Ctx, assay.ActivityFilter{Action: "user.", Limit: 10})).get(t) {
		if strings.HasPrefix(a.Action, "user.passkey_") {
			actions = append(actions, a.Action)
		}
	}
	if strings.Join(actions, " ") != assay.EventPasskeyRemoved+" "+assay.EventPasskeyAdded {
		t.Fatalf("trail = %v", actions)
	}
}

func testMFAReset(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	_, other := e.Org("beta")
	u := e.User(o, "ann@example.com", assay.RoleAdmin)
	wantCode(t, o.ResetMFA(e.Ctx, Actor, u.ID), assay.ECONFLICT, "reset without a second factor")
	check(t, o.EnableMFA(e.Ctx, Actor, u.ID, []byte{1}, 1, []string{hash64('a')}), "enable")
	must(o.AddPasskey(e.Ctx, Actor, assay.Passkey{UserID: u.ID, Name: "k", CredentialID: "c", Credential: []byte(`{}`)})).get(t)
	e.session(u, "s")
	wantCode(t, other.ResetMFA(e.Ctx, Actor, u.ID), assay.ENOTFOUND, "reset through another organisation")
	check(t, o.ResetMFA(e.Ctx, Actor, u.ID), "reset")
	if st := must(o.MFA(e.Ctx, u.ID)).get(t); st.Enabled || st.RecoveryCodes != 0 {
		t.Fatalf("after reset: %+v", st)
	}
	if n := len(must(o.Passkeys(e.Ctx, u.ID)).get(t)); n != 0 {
		t.Fatalf("%d passkeys after reset", n)
	}
	_, _, err := e.Store.UserBySession(e.Ctx, "s")
	wantCode(t, err, assay.EUNAUTHORIZED, "a session after reset")
	if acts := e.mfaTrail(o); len(acts) == 0 || acts[0].Action != assay.EventMFAReset {
		t.Fatalf("trail after reset: %+v", acts)
	}
}
