package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// newEvidenceRequestCmd: asking for evidence and answering, as on the
// web's evidence requests page.
func newEvidenceRequestCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "request", Short: "Evidence requests: list, show, create, import, submit, decide, comment"}
	cmd.AddCommand(newRequestListCmd(g), newRequestShowCmd(g), newRequestCreateCmd(g), newRequestSubmitCmd(g), newRequestDecideCmd(g),
		newRequestImportCmd(g), newRequestSampleCmd(g), newRequestCommentCmd(g))
	return cmd
}

func printRequest(w io.Writer, v app.EvidenceRequestView) {
	overdue := ""
	if v.Overdue {
		overdue = ", overdue"
	}
	ref := ""
	if v.Reference != "" {
		ref = " " + v.Reference
	}
	if v.AuditID != 0 {
		ref += fmt.Sprintf(" (engagement %d)", v.AuditID)
	}
	fmt.Fprintf(w, "Evidence request %d%s for %s (%s): %s%s\n", v.ID, ref, v.ControlID, v.ControlName, v.Status, overdue)
	if v.SampleItem != "" {
		fmt.Fprintf(w, "Sampled item %s of sample %d\n", v.SampleItem, v.SampleID)
	}
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
func requestOut(c *call, req assay.EvidenceRequest, lead string) error {
	v := app.ViewEvidenceRequests([]assay.EvidenceRequest{req}, c.m.App.Now())[0]
	return c.Out(v, func(w io.Writer) error {
		if lead != "" {
			c.cmd.Println(lead)
		}
		printRequest(w, v)
		return nil
	})
}

func newRequestListCmd(g *globals) *cobra.Command {
	var control, status, assignee string
	var audit int64
	return actingCommand(g, acting{
		Use:   "list [--control ID] [--status S] [--assignee EMAIL|me] [--audit N]",
		Short: "List evidence requests",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&control, "control", "", "only requests for this control")
			fl.StringVar(&status, "status", "", "only requests in this status (open, submitted, accepted, returned)")
			fl.Int64Var(&audit, "audit", 0, "only the requests on this engagement's request list")
			fl.StringVar(&assignee, "assignee", "", "only requests of this assignee: an email or me (with --as)")
		},
		Run: func(c *call) error {
			var err error
			rf := assay.EvidenceRequestFilter{ControlID: strings.ToUpper(strings.TrimSpace(control)), Status: assay.RequestStatus(status), AuditID: audit}
			switch assignee {
			case "":
			case "me":
				if c.p.User.ID == 0 {
					return assay.Invalid("assignee", "--assignee me needs --as EMAIL.")
				}
				rf.AssigneeID = c.p.User.ID
			default:
				if rf.AssigneeID, err = userIDByEmail(c.ctx, c.p, "assignee", assignee); err != nil {
					return err
				}
			}
			reqs, err := c.m.App.EvidenceRequests(c.ctx, c.p, rf)
			if err != nil {
				return err
			}
			views := app.ViewEvidenceRequests(reqs, c.m.App.Now())
			return c.List("requests", views, len(views), func(w io.Writer) error {
				if len(views) == 0 {
					c.cmd.Println("No evidence requests.")
					return nil
				}
				return table(w, "ID\tCONTROL\tSTATUS\tDUE\tASSIGNEE\tDESCRIPTION", func(tw io.Writer) {
					for _, v := range views {
						st := string(v.Status)
						if v.Overdue {
							st += " (overdue)"
						}
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.ControlID, st, v.DueDate.Format("2006-01-02"), orNone(v.AssigneeName), firstLine(v.Description))
					}
				})
			})
		},
	})
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func newRequestShowCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "show ID",
		Short: "Show one evidence request",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"evidence request"},
		Run: func(c *call) error {
			req, err := c.m.App.EvidenceRequest(c.ctx, c.p, c.ID(0))
			if err != nil {
				return err
			}
			return requestOut(c, req, "")
		},
	})
}

func newRequestCreateCmd(g *globals) *cobra.Command {
	var control, description, due, assignee string
	return actingCommand(g, acting{
		Use:   "create --control ID --description TEXT --due DATE [--assignee EMAIL]",
		Short: "Ask for evidence for a control (the assignee defaults to its owner)",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&control, "control", "", "the control the evidence is for")
			fl.StringVar(&description, "description", "", "what evidence you need")
			fl.StringVar(&due, "due", "", "due date (2027-03-31)")
			fl.StringVar(&assignee, "assignee", "", "who answers (email; default: the control's owner)")
		},
		Run: func(c *call) error {
			n := assay.NewEvidenceRequest{ControlID: control, Description: description}
			d, err := assay.ParseDate("due", due)
			if err != nil {
				return err
			}
			if d != nil {
				n.DueDate = *d
			}
			if n.AssigneeID, err = userIDByEmail(c.ctx, c.p, "assignee", assignee); err != nil {
				return err
			}
			req, err := c.m.App.CreateEvidenceRequest(c.ctx, c.p, n)
			if err != nil {
				return err
			}
			return requestOut(c, req, fmt.Sprintf("Asked for evidence: request %d.", req.ID))
		},
	})
}

func newRequestSubmitCmd(g *globals) *cobra.Command {
	var evidenceIDs []int64
	var response string
	return actingCommand(g, acting{
		Use:   "submit ID --evidence ID[,ID] [--response TEXT]",
		Short: "Answer an evidence request with evidence already added (the assignee or an admin)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"evidence request"},
		Flags: func(fl *pflag.FlagSet) {
			fl.Int64SliceVar(&evidenceIDs, "evidence", nil, "evidence ids that answer it (comma-separated)")
			fl.StringVar(&response, "response", "", "a note with the answer")
		},
		Run: func(c *call) error {
			req, err := c.m.App.SubmitEvidenceRequest(c.ctx, c.p, c.ID(0), evidenceIDs, response)
			if err != nil {
				return err
			}
			return requestOut(c, req, fmt.Sprintf("Submitted request %d.", req.ID))
		},
	})
}

func newRequestDecideCmd(g *globals) *cobra.Command {
	var accept, reject bool
	var reason string
	return actingCommand(g, acting{
		Use:   "decide ID --accept|--return [--reason TEXT]",
		Short: "Accept a submitted answer or return it for more (who asked, an admin, or the engagement's auditors)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"evidence request"},
		Flags: func(fl *pflag.FlagSet) {
			fl.BoolVar(&accept, "accept", false, "accept the answer")
			fl.BoolVar(&reject, "return", false, "return it for more (say why with --reason)")
			fl.BoolVar(&reject, "reject", false, "the earlier name of --return")
			_ = fl.MarkDeprecated("reject", "use --return")
			fl.StringVar(&reason, "reason", "", "the decision's reason")
		},
		Before: func(c *call) error {
			if accept == reject {
				return assay.Invalid("decision", "Give --accept or --return.")
			}
			return nil
		},
		Run: func(c *call) error {
			decision := "accept"
			if reject {
				decision = "return"
			}
			req, err := c.m.App.DecideEvidenceRequest(c.ctx, c.p, c.ID(0), decision, reason)
			if err != nil {
				return err
			}
			return requestOut(c, req, fmt.Sprintf("Request %d is %s.", req.ID, req.Status))
		},
	})
}

// newEvidenceAttachCmd attaches an evidence item to controls and detaches
// it from others.
func newEvidenceAttachCmd(g *globals) *cobra.Command {
	var attach, detach []string
	return actingCommand(g, acting{
		Use:   "attach ID --control ID[,ID] [--detach ID[,ID]]",
		Short: "Attach evidence to more controls, or detach it",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"evidence"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringSliceVar(&attach, "control", nil, "controls to attach it to (comma-separated)")
			fl.StringSliceVar(&detach, "detach", nil, "controls to detach it from (comma-separated)")
		},
		Before: func(c *call) error {
			if len(attach) == 0 && len(detach) == 0 {
				return assay.Invalid("control", "Give --control or --detach.")
			}
			return nil
		},
		Run: func(c *call) error {
			ev, err := c.m.App.UpdateEvidenceControls(c.ctx, c.p, c.ID(0), upper(attach), upper(detach))
			if err != nil {
				return err
			}
			if c.json {
				return printJSON(c.w, struct {
					assay.Evidence
					State string `json:"state"`
				}{ev, ev.State(c.m.App.Now())})
			}
			c.cmd.Printf("Evidence %d (%s) is for %s.\n", ev.ID, ev.Title, orNone(strings.Join(ev.Controls, ", ")))
			return nil
		},
	})
}

func upper(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, strings.ToUpper(strings.TrimSpace(id)))
	}
	return out
}
