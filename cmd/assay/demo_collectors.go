package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/monitor/collect/devices"
	"github.com/assay-platform/assay/monitor/collect/entra"
	"github.com/assay-platform/assay/monitor/collect/googleworkspace"
	"github.com/assay-platform/assay/store"
)

// recordedAPI answers a live collector's requests from answers recorded
// for the demo ("METHOD /path" → JSON body), so the demo's Google
// Workspace, Entra ID and Fleet sources are collected by their real
// collectors without the network. Written for the demo, not taken from
// any real tenant.
type recordedAPI map[string]any

func (r recordedAPI) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	status, body := http.StatusOK, []byte(`{"error":{"code":404,"message":"not recorded"}}`)
	if v, ok := r[req.Method+" "+req.URL.Path]; ok {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		body = b
	} else {
		status = http.StatusNotFound
	}
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(string(body))), ContentLength: int64(len(body)), Request: req, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
}

func noSleep(context.Context, time.Duration) error { return nil }

// seedDemoCollectors adds one source of each device, identity and cloud
// kind added for issue #17 (Google Workspace, Entra ID, AWS, Fleet, and
// Jamf, Intune and Kandji exports) with 30 days of runs; it runs after the People
// roster is loaded, so devices find their owners.
func seedDemoCollectors(ctx context.Context, os store.OrgStore, blobs evidence.Store, clock assay.Clock, people map[string]assay.User) error {
	actor, checks, meta, err := demoMonitoringBasis(people)
	if err != nil {
		return err
	}
	now := clock.Now().UTC()
	fixed := &assay.FixedClock{T: now}
	ts := func(daysAgo int) string { return now.AddDate(0, 0, -daysAgo).Format(time.RFC3339) }
	date := func(daysAgo int) string { return now.AddDate(0, 0, -daysAgo).Format("2006-01-02 15:04:05") }

	key, err := demoServiceAccountKey()
	if err != nil {
		return err
	}
	gUser := func(id, email string, super, delegated, suspended, enrolled bool, lastDays, createdDays int) map[string]any {
		last := "1970-01-01T00:00:00.000Z"
		if lastDays >= 0 {
			last = ts(lastDays)
		}
		return map[string]any{"id": id, "primaryEmail": email, "isAdmin": super, "isDelegatedAdmin": delegated, "suspended": suspended,
			"isEnrolledIn2Sv": enrolled, "isEnforcedIn2Sv": enrolled, "lastLoginTime": last, "creationTime": ts(createdDays)}
	}
	google := recordedAPI{
		"POST /token": map[string]any{"access_token": "demo", "token_type": "Bearer", "expires_in": 3600},
		"GET /admin/directory/v1/customer/my_customer/roles": map[string]any{"items": []any{
			map[string]any{"roleId": "91", "roleName": "_SEED_ADMIN_ROLE", "isSuperAdminRole": true, "isSystemRole": true},
			map[string]any{"roleId": "92", "roleName": "_HELP_DESK_ADMIN_ROLE", "isSystemRole": true}}},
		"GET /admin/directory/v1/customer/my_customer/roleassignments": map[string]any{"items": []any{
			map[string]any{"roleAssignmentId": "1", "roleId": "91", "assignedTo": "g1", "assigneeType": "user"},
			map[string]any{"roleAssignmentId": "2", "roleId": "91", "assignedTo": "g2", "assigneeType": "user"},
			map[string]any{"roleAssignmentId": "3", "roleId": "92", "assignedTo": "g4", "assigneeType": "user"},
			map[string]any{"roleAssignmentId": "4", "roleId": "92", "assignedTo": "g7", "assigneeType": "user"}}},
		"GET /admin/directory/v1/users": map[string]any{"users": []any{
			gUser("g1", demoEmail, true, false, false, true, 0, 1100),
			gUser("g2", demoApproverEmail, true, false, false, true, 1, 1300),
			gUser("g3", "sam@northwind.example", false, false, false, true, 0, 900),
			gUser("g4", "priya@northwind.example", false, true, false, true, 2, 700),
			gUser("g5", "ben@northwind.example", false, false, false, false, 1, 400),
			gUser("g6", "noah@northwind.example", false, false, false, false, -1, 45),
			gUser("g7", "tomas@northwind.example", false, true, true, true, 11, 600)}},
	}
	eUser := func(id, upn string, enabled bool, typ string, lastDays, createdDays int) map[string]any {
		return map[string]any{"id": id, "userPrincipalName": upn, "mail": upn, "accountEnabled": enabled, "userType": typ,
			"createdDateTime": ts(createdDays), "signInActivity": map[string]any{"lastSignInDateTime": ts(lastDays)}}
	}
	reg := func(id string, ok bool) map[string]any {
		return map[string]any{"id": id, "isMfaRegistered": ok, "isMfaCapable": ok, "methodsRegistered": []string{"microsoftAuthenticatorPush"}}
	}
	entraAPI := recordedAPI{
		"POST /northwind.example/oauth2/v2.0/token": map[string]any{"access_token": "demo", "token_type": "Bearer", "expires_in": 3599},
		"GET /v1.0/users": map[string]any{"value": []any{
			eUser("e1", demoEmail, true, "Member", 0, 1100), eUser("e2", demoApproverEmail, true, "Member", 2, 1300),
			eUser("e3", "fatima@northwind.example", true, "Member", 1, 300), eUser("e4", "chris@northwind.example", true, "Member", 3, 650),
			eUser("e5", "lena@northwind.example", true, "Member", 121, 500), eUser("e6", "auditor_firm.example#EXT#@northwind.onmicrosoft.com", true, "Guest", 20, 90)}},
		"GET /v1.0/reports/authenticationMethods/userRegistrationDetails": map[string]any{"value": []any{
			reg("e1", true), reg("e2", true), reg("e3", true), reg("e4", false), reg("e5", true), reg("e6", false)}},
		"GET /v1.0/directoryRoles": map[string]any{"value": []any{
			map[string]any{"id": "r1", "displayName": "Global Administrator", "roleTemplateId": "62e90394-69f5-4237-9190-012177145e10"},
			map[string]any{"id": "r2", "displayName": "Reports Reader", "roleTemplateId": "4a5d8f65-41da-4de4-8968-e035b65339cf"}}},
		"GET /v1.0/directoryRoles/r1/members": map[string]any{"value": []any{map[string]any{"@odata.type": "#microsoft.graph.user", "id": "e1"},
			map[string]any{"@odata.type": "#microsoft.graph.user", "id": "e2"}}},
		"GET /v1.0/directoryRoles/r2/members": map[string]any{"value": []any{map[string]any{"@odata.type": "#microsoft.graph.user", "id": "e6"}}},
	}
	host := func(id int, name, serial, platform, os string, seenDays int, encrypted bool, owner string, firewall string) map[string]any {
		return map[string]any{"id": id, "display_name": name, "hostname": strings.ToLower(name), "hardware_serial": serial, "platform": platform,
			"os_version": os, "seen_time": ts(seenDays), "disk_encryption_enabled": encrypted, "mdm": map[string]any{"enrollment_status": "On (automatic)"},
			"policies":       []any{map[string]any{"name": "Screen lock enabled", "response": "pass"}, map[string]any{"name": "Firewall enabled", "response": firewall}},
			"device_mapping": []any{map[string]any{"email": owner, "source": "idp"}}}
	}
	fleetAPI := recordedAPI{"GET /api/v1/fleet/hosts": map[string]any{"hosts": []any{
		host(1, "Dana-MBP", "C02DANA001", "darwin", "macOS 15.5", 0, true, demoEmail, "pass"),
		host(2, "Sam-MBP", "C02SAM0002", "darwin", "macOS 15.5.1", 0, true, "sam@northwind.example", "pass"),
		host(3, "Ben-MBP", "C02BEN0003", "darwin", "macOS 15.4", 1, true, "ben@northwind.example", "fail"),
		host(4, "Tomas-MBA", "C02TOM0004", "darwin", "macOS 15.5", 2, true, "tomas@northwind.example", "pass"),
		host(5, "fatima-xps", "FXPS00005", "ubuntu", "Ubuntu 24.04.1 LTS", 0, false, "fatima@northwind.example", "pass")}}}

	minOS := map[string]string{devices.SettingMinOS: "macOS=15.5, Windows=10.0.26100, Ubuntu=24.04"}
	sources := []demoSource{
		{name: "Google Workspace", kind: "google-workspace", fixedUntil: map[string]int{"gws-admins-2sv-enrolled": 4, "*": 8},
			settings: map[string]string{googleworkspace.SettingSubject: demoEmail},
			live:     &googleworkspace.Collector{Clock: fixed, Sleep: noSleep, Base: google}, secrets: map[string]string{googleworkspace.SecretKey: key}},
		{name: "Entra ID", kind: "entra", fixedUntil: map[string]int{"*": 5},
			settings: map[string]string{entra.SettingTenant: "northwind.example", entra.SettingClientID: "assay-reader"},
			live:     &entra.Collector{Clock: fixed, Sleep: noSleep, Base: entraAPI}, secrets: map[string]string{entra.SecretClient: "recorded"}},
		demoAWSSource(now),
		{name: "Fleet laptops", kind: "fleet", fixedUntil: map[string]int{"device-firewall-on": 2, "*": 10},
			settings: map[string]string{devices.SettingFleetURL: "https://fleet.northwind.example", devices.SettingMinOS: minOS[devices.SettingMinOS]},
			live:     &devices.Fleet{Clock: fixed, Sleep: noSleep, Base: fleetAPI}, secrets: map[string]string{devices.SecretFleetAPI: "recorded"}},
		{name: "Jamf Macs", kind: "jamf", settings: minOS, fixedUntil: map[string]int{"*": 6},
			doc: "Computer Name,Serial Number,Username,Email Address,Operating System Version,Last Check-in,FileVault 2 Status,Managed\n" +
				"Priya's MacBook Pro,C02PRI0011,priya,priya@northwind.example,15.5," + date(0) + ",All Partitions Encrypted,Managed\n" +
				"Lena's MacBook Air,C02LEN0012,lena,lena@northwind.example,15.3," + date(1) + ",All Partitions Encrypted,Managed\n" +
				"Loaner MacBook,C02LOA0013,,,15.5," + date(40) + ",Not Encrypted,Managed\n"},
		{name: "Intune PCs", kind: "intune", settings: minOS, fixedUntil: map[string]int{"*": 12},
			doc: "Device name,Managed by,Ownership,Compliance,OS,OS version,Last check-in,Primary user UPN,Primary user email address,Serial number,Encrypted\n" +
				"CHRIS-SURFACE,Intune,Corporate,Compliant,Windows,10.0.26100.2314," + date(0) + ",chris@northwind.example,chris@northwind.example,PF3CHR021,True\n" +
				"FRONTDESK-PC,Intune,Corporate,Noncompliant,Windows,10.0.22631.4460," + date(3) + ",,,PF3FRO022,False\n"},
		{name: "Kandji Macs", kind: "kandji", settings: minOS, fixedUntil: map[string]int{"*": 7},
			doc: "Device Name\tSerial Number\tPlatform\tOS Version\tUser Email\tBlueprint\tLast Check In\tFileVault\tFirewall\tMDM Enabled\n" +
				"jordan-mbp\tH4JOR0031\tMac\t15.5\tjordan@northwind.example\tPeople\t" + ts(0) + "\tOn\tOn\tTrue\n" +
				"ella-mba\tH4ELL0032\tMac\t15.5\tella@northwind.example\tSupport\t" + ts(1) + "\tOn\tOff\tTrue\n"},
	}
	for _, ds := range sources {
		if err := seedDemoSource(ctx, os, blobs, actor, checks, meta, ds, now); err != nil {
			return fmt.Errorf("%s: %w", ds.name, err)
		}
	}
	return nil
}

// demoServiceAccountKey makes a throwaway service account key for the
// recorded Google Workspace source (the collector signs its JWT with it;
// the recorded token endpoint does not look).
func demoServiceAccountKey() (string, error) {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		return "", err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(map[string]string{"type": "service_account", "client_email": "assay-reader@northwind-demo.iam.gserviceaccount.com",
		"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), "token_uri": "https://oauth2.googleapis.com/token"})
	return string(b), err
}
