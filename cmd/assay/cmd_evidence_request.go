package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// newEvidenceRequestCmd: asking for evidence and answering, as on the
// web's evidence requests page.
func newEvidenceRequestCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "request", Short: "Evidence requests: list, show, create, submit, decide"}
	cmd.AddCommand(newRequestListCmd(g), newRequestShowCmd(g), newRequestCreateCmd(g), newRequestSubmitCmd(g), newRequestDecideCmd(g))
	return cmd
}

func requestID(arg string) (int64, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("evidence request id %q: give a number", arg)
	}
	return id, nil
}

func printRequest(cmd *cobra.Command, v app.EvidenceRequestView) {
	w := cmd.OutOrStdout()
	overdue := ""
	if v.Overdue {
		overdue = ", overdue"
	}
	fmt.Fprintf(w, "Evidence request %d for %s (%s): %s%s\n", v.ID, v.ControlID, v.ControlName, v.Status, overdue)
	fmt.Fprintf(w, "Asked by %s of %s, due %s\n%s\n", orNone(v.RequestedByName), orNone(v.AssigneeName), v.DueDate.Format("2006-01-02"), v.Description)
	for _, e := range v.Evidence {
		fmt.Fprintf(w, "Evidence %d: %s\n", e.ID, e.Title)
	}
	if v.Response != "" {
		fmt.Fprintf(w, "Response: %s\n", v.Response)
	}
	if v.Reason != "" {
		fmt.Fprintf(w, "Decided by %s: %s\n", v.DecidedByName, v.Reason)
	}
}

// requestOut prints one request as the API's document or as text.
func requestOut(cmd *cobra.Command, m *Main, f actingFlags, req assay.EvidenceRequest, lead string) error {
	v := app.ViewEvidenceRequests([]assay.EvidenceRequest{req}, m.App.Now())[0]
	if f.asJSON {
		return printJSON(cmd.OutOrStdout(), v)
	}
	if lead != "" {
		cmd.Println(lead)
	}
	printRequest(cmd, v)
	return nil
}

func newRequestListCmd(g *globals) *cobra.Command {
	var f actingFlags
	var control, status, assignee string
	cmd := &cobra.Command{
		Use:   "list [--control ID] [--status S] [--assignee EMAIL|me]",
		Short: "List evidence requests",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			rf := assay.EvidenceRequestFilter{ControlID: strings.ToUpper(strings.TrimSpace(control)), Status: assay.RequestStatus(status)}
			switch assignee {
			case "":
			case "me":
				if p.User.ID == 0 {
					return assay.Invalid("assignee", "--assignee me needs --as EMAIL.")
				}
				rf.AssigneeID = p.User.ID
			default:
				if rf.AssigneeID, err = userIDByEmail(ctx, p, "assignee", assignee); err != nil {
					return err
				}
			}
			reqs, err := m.App.EvidenceRequests(ctx, p, rf)
			if err != nil {
				return err
			}
			views := app.ViewEvidenceRequests(reqs, m.App.Now())
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"requests": views, "count": len(views)})
			}
			if len(views) == 0 {
				cmd.Println("No evidence requests.")
				return nil
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tCONTROL\tSTATUS\tDUE\tASSIGNEE\tDESCRIPTION")
			for _, v := range views {
				st := string(v.Status)
				if v.Overdue {
					st += " (overdue)"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.ControlID, st, v.DueDate.Format("2006-01-02"), orNone(v.AssigneeName), firstLine(v.Description))
			}
			return tw.Flush()
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&control, "control", "", "only requests for this control")
	cmd.Flags().StringVar(&status, "status", "", "only requests in this status (open, submitted, accepted, rejected)")
	cmd.Flags().StringVar(&assignee, "assignee", "", "only requests of this assignee: an email or me (with --as)")
	return cmd
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func newRequestShowCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one evidence request",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := requestID(args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			req, err := m.App.EvidenceRequest(ctx, p, id)
			if err != nil {
				return err
			}
			return requestOut(cmd, m, f, req, "")
		},
	}
	f.add(cmd)
	return cmd
}

func newRequestCreateCmd(g *globals) *cobra.Command {
	var f actingFlags
	var control, description, due, assignee string
	cmd := &cobra.Command{
		Use:   "create --control ID --description TEXT --due DATE [--assignee EMAIL]",
		Short: "Ask for evidence for a control (the assignee defaults to its owner)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			n := assay.NewEvidenceRequest{ControlID: control, Description: description}
			d, err := assay.ParseDate("due", due)
			if err != nil {
				return err
			}
			if d != nil {
				n.DueDate = *d
			}
			if n.AssigneeID, err = userIDByEmail(ctx, p, "assignee", assignee); err != nil {
				return err
			}
			req, err := m.App.CreateEvidenceRequest(ctx, p, n)
			if err != nil {
				return err
			}
			return requestOut(cmd, m, f, req, fmt.Sprintf("Asked for evidence: request %d.", req.ID))
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&control, "control", "", "the control the evidence is for")
	cmd.Flags().StringVar(&description, "description", "", "what evidence you need")
	cmd.Flags().StringVar(&due, "due", "", "due date (2027-03-31)")
	cmd.Flags().StringVar(&assignee, "assignee", "", "who answers (email; default: the control's owner)")
	return cmd
}

func newRequestSubmitCmd(g *globals) *cobra.Command {
	var f actingFlags
	var evidenceIDs []int64
	var response string
	cmd := &cobra.Command{
		Use:   "submit ID --evidence ID[,ID] [--response TEXT]",
		Short: "Answer an evidence request with evidence already added (the assignee or an admin)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := requestID(args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			req, err := m.App.SubmitEvidenceRequest(ctx, p, id, evidenceIDs, response)
			if err != nil {
				return err
			}
			return requestOut(cmd, m, f, req, fmt.Sprintf("Submitted request %d.", req.ID))
		},
	}
	f.add(cmd)
	cmd.Flags().Int64SliceVar(&evidenceIDs, "evidence", nil, "evidence ids that answer it (comma-separated)")
	cmd.Flags().StringVar(&response, "response", "", "a note with the answer")
	return cmd
}

func newRequestDecideCmd(g *globals) *cobra.Command {
	var f actingFlags
	var accept, reject bool
	var reason string
	cmd := &cobra.Command{
		Use:   "decide ID --accept|--reject [--reason TEXT]",
		Short: "Accept or reject a submitted answer (who asked, or an admin)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := requestID(args[0])
			if err != nil {
				return err
			}
			if accept == reject {
				return assay.Invalid("decision", "Give --accept or --reject.")
			}
			decision := "accept"
			if reject {
				decision = "reject"
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			req, err := m.App.DecideEvidenceRequest(ctx, p, id, decision, reason)
			if err != nil {
				return err
			}
			return requestOut(cmd, m, f, req, fmt.Sprintf("Request %d is %s.", req.ID, req.Status))
		},
	}
	f.add(cmd)
	cmd.Flags().BoolVar(&accept, "accept", false, "accept the answer")
	cmd.Flags().BoolVar(&reject, "reject", false, "reject it (say why with --reason)")
	cmd.Flags().StringVar(&reason, "reason", "", "the decision's reason")
	return cmd
}

// newEvidenceAttachCmd attaches an evidence item to controls and detaches
// it from others.
func newEvidenceAttachCmd(g *globals) *cobra.Command {
	var f actingFlags
	var attach, detach []string
	cmd := &cobra.Command{
		Use:   "attach ID --control ID[,ID] [--detach ID[,ID]]",
		Short: "Attach evidence to more controls, or detach it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return fmt.Errorf("evidence id %q: give a number", args[0])
			}
			if len(attach) == 0 && len(detach) == 0 {
				return assay.Invalid("control", "Give --control or --detach.")
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			ev, err := m.App.UpdateEvidenceControls(ctx, p, id, upper(attach), upper(detach))
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), struct {
					assay.Evidence
					State string `json:"state"`
				}{ev, ev.State(m.App.Now())})
			}
			cmd.Printf("Evidence %d (%s) is for %s.\n", ev.ID, ev.Title, orNone(strings.Join(ev.Controls, ", ")))
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().StringSliceVar(&attach, "control", nil, "controls to attach it to (comma-separated)")
	cmd.Flags().StringSliceVar(&detach, "detach", nil, "controls to detach it from (comma-separated)")
	return cmd
}

func upper(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, strings.ToUpper(strings.TrimSpace(id)))
	}
	return out
}
