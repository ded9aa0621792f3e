package alert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Headers of a signed webhook delivery.
const (
	HeaderSignature = "X-Assay-Signature" // "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body)
	HeaderDelivery  = "X-Assay-Delivery"  // the delivery's id, the same on every attempt
	HeaderTimestamp = "X-Assay-Timestamp" // Unix seconds when the attempt was signed
)

// Sign returns the X-Assay-Signature value for a body sent at timestamp
// (Unix seconds, as in the X-Assay-Timestamp header). The timestamp is in
// the MAC, so a receiver that refuses old timestamps refuses replays.
func Sign(secret []byte, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature is the right one for body and
// timestamp, in constant time. Receivers should also refuse timestamps
// far from their clock.
func Verify(secret []byte, timestamp string, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, timestamp, body)), []byte(signature))
}

// permanentError is a failure retrying will not cure (a 4xx answer).
type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// postJSON POSTs body once and classifies the answer: nil on 2xx, a
// permanent error on other 4xx (except 408 and 429), a retryable error on
// 5xx, 408, 429 and network errors.
func (n *Notifier) postJSON(ctx context.Context, target string, body []byte, headers map[string]string) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return permanentError{fmt.Errorf("build request: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Assay-Alerts/1")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := n.client().Do(req)
	if err != nil {
		// Never echo the URL: a Slack URL is a secret.
		var ue interface{ Unwrap() error }
		if errors.As(err, &ue) && ue.Unwrap() != nil {
			err = ue.Unwrap()
		}
		return fmt.Errorf("post: %v", err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("receiver answered %s: %s", resp.Status, strings.TrimSpace(string(snippet)))
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout {
		return err
	}
	return permanentError{err}
}

// sendWebhook delivers m as signed JSON. Each attempt is signed afresh
// with its own timestamp; the delivery id stays the same.
func (n *Notifier) sendWebhook(ctx context.Context, settings, secrets map[string]string, m Message) (int, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return 0, fmt.Errorf("encode message: %w", err)
	}
	return n.retry(ctx, func() error {
		ts := strconv.FormatInt(n.now().Unix(), 10)
		return n.postJSON(ctx, settings["url"], body, map[string]string{
			HeaderDelivery:  m.Delivery,
			HeaderTimestamp: ts,
			HeaderSignature: Sign([]byte(secrets["secret"]), ts, body),
		})
	})
}

// slackBody is a Slack-style incoming webhook payload: text for clients
// that show only text, and blocks for the rest.
func slackBody(m Message) ([]byte, error) {
	type text struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	type block struct {
		Type string `json:"type"`
		Text *text  `json:"text,omitempty"`
	}
	lines := func(evs []Event, failure bool) string {
		var b strings.Builder
		for _, e := range evs {
			fmt.Fprintf(&b, "• *%s* `%s` on %s", slackEscape(e.CheckTitle), e.Severity, slackEscape(e.ResourceName))
			if failure && e.Reason != "" {
				fmt.Fprintf(&b, ": %s", slackEscape(e.Reason))
			}
			fmt.Fprintf(&b, " <%s|details>\n", e.Link)
		}
		return b.String()
	}
	blocks := []block{{Type: "header", Text: &text{Type: "plain_text", Text: clipRunes(m.Subject(), 150)}}}
	if len(m.Failures) > 0 {
		blocks = append(blocks, block{Type: "section", Text: &text{Type: "mrkdwn", Text: clipRunes("*New failures*\n"+lines(m.Failures, true), 2900)}})
	}
	if len(m.Recoveries) > 0 {
		blocks = append(blocks, block{Type: "section", Text: &text{Type: "mrkdwn", Text: clipRunes("*Recovered*\n"+lines(m.Recoveries, false), 2900)}})
	}
	return json.Marshal(struct {
		Text   string  `json:"text"`
		Blocks []block `json:"blocks"`
	}{Text: m.Subject() + "\n" + m.Text(), Blocks: blocks})
}

func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (n *Notifier) sendSlack(ctx context.Context, secrets map[string]string, m Message) (int, error) {
	body, err := slackBody(m)
	if err != nil {
		return 0, fmt.Errorf("encode slack message: %w", err)
	}
	return n.retry(ctx, func() error { return n.postJSON(ctx, secrets["url"], body, nil) })
}

// retry calls try up to the notifier's attempt bound, waiting with
// exponential backoff between attempts, and stops early on a permanent
// error or a cancelled context. It returns the number of attempts made.
func (n *Notifier) retry(ctx context.Context, try func() error) (int, error) {
	attempts := n.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	var err error
	for i := 1; i <= attempts; i++ {
		if err = try(); err == nil {
			return i, nil
		}
		var p permanentError
		if errors.As(err, &p) || i == attempts {
			return i, err
		}
		t := time.NewTimer(n.backoff(i))
		select {
		case <-ctx.Done():
			t.Stop()
			return i, errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
	return attempts, err
}

func (n *Notifier) backoff(attempt int) time.Duration {
	if n.Backoff != nil {
		return n.Backoff(attempt)
	}
	return time.Duration(1<<min(attempt-1, 6)) * time.Second
}
