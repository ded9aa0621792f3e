package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/hostcheck"
)

// newCollectCmd is `assay collect`: run a collector on this machine and
// print its resources, or push them to an Assay server's source.
func newCollectCmd(g *globals) *cobra.Command {
	_ = g // collectors need no database
	cmd := &cobra.Command{
		Use:   "collect",
		Short: "Collect resources on this machine for continuous monitoring",
	}
	cmd.AddCommand(newCollectHostCmd())
	return cmd
}

// pushTarget is where collected resources are sent.
type pushTarget struct {
	url, token, source string
	timeout            time.Duration
}

func newCollectHostCmd() *cobra.Command {
	var root, hostname string
	var push pushTarget
	cmd := &cobra.Command{
		Use:   "host",
		Short: "Read this host's security configuration (sshd, updates, firewall, disk, time, audit, passwords)",
		Long: "Reads configuration files under --root (read-only) and prints the host resources as a JSON list, " +
			"or with --push sends them to an Assay server: POST {URL}/api/v1/sources/{SOURCE}/resources with a bearer token.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := push.validate(); err != nil {
				return err
			}
			cfg := monitor.Config{Settings: map[string]string{"root": root, "hostname": hostname}}
			res, err := hostcheck.New().Collect(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			if push.url == "" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			run, err := push.send(cmd.Context(), res)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Pushed %d resources to source %s", len(res), push.source)
			if run.ID != 0 {
				fmt.Fprintf(cmd.OutOrStdout(), ": run %d, %d pass, %d fail, %d errors", run.ID, run.Pass, run.Fail, run.Errors)
			}
			fmt.Fprintln(cmd.OutOrStdout(), ".")
			return nil
		},
	}
	cmd.Flags().StringVar(&root, "root", "/", "folder the host's files are read under (a mounted image or container root)")
	cmd.Flags().StringVar(&hostname, "hostname", "", "host name to report (default: {root}/etc/hostname)")
	cmd.Flags().StringVar(&push.url, "push", "", "Assay server URL to send the resources to, e.g. https://assay.example.com")
	cmd.Flags().StringVar(&push.token, "token", envOr("ASSAY_TOKEN", ""), "API token for --push (env ASSAY_TOKEN)")
	cmd.Flags().StringVar(&push.source, "source", "", "id of the host source on the server, for --push")
	cmd.Flags().DurationVar(&push.timeout, "timeout", 30*time.Second, "how long --push may take")
	return cmd
}

func (p pushTarget) validate() error {
	if p.url == "" {
		if p.source != "" {
			return assay.Invalid("push", "--source needs --push")
		}
		return nil
	}
	u, err := url.Parse(p.url)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return assay.Invalid("push", "--push must be the server's address, like https://assay.example.com")
	}
	if p.token == "" {
		return assay.Invalid("token", "--push needs --token (or ASSAY_TOKEN)")
	}
	if strings.TrimSpace(p.source) == "" {
		return assay.Invalid("source", "--push needs --source, the id of the host source")
	}
	return nil
}

// send POSTs {"resources": [...]} to the source's resources endpoint and
// returns the run the server recorded (zero if it did not say).
func (p pushTarget) send(ctx context.Context, res []assay.Resource) (assay.MonitorRun, error) {
	var run assay.MonitorRun
	body, err := json.Marshal(map[string]any{"resources": res})
	if err != nil {
		return run, fmt.Errorf("encode resources: %w", err)
	}
	endpoint := strings.TrimRight(p.url, "/") + "/api/v1/sources/" + url.PathEscape(p.source) + "/resources"
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return run, fmt.Errorf("push: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+p.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return run, fmt.Errorf("push to %s: %w", endpoint, unwrapURLError(err))
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		text := strings.TrimSpace(string(msg[:min(len(msg), 500)]))
		var apiErr struct {
			Error struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if json.Unmarshal(msg, &apiErr) == nil && apiErr.Error.Message != "" {
			text = apiErr.Error.Message
		}
		text = strings.ReplaceAll(text, p.token, "[redacted]")
		return run, fmt.Errorf("push to %s: the server answered %s: %s", endpoint, resp.Status, text)
	}
	_ = json.Unmarshal(msg, &run)
	return run, nil
}

// unwrapURLError drops net/http's wrapper, which repeats method and URL.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
