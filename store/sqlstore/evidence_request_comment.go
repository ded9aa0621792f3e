package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/assay-platform/assay"
)

// CommentEvidenceRequest adds a comment to a request's thread.
func (s *orgStore) CommentEvidenceRequest(ctx context.Context, actor assay.Actor, requestID int64, body string) (assay.RequestComment, error) {
	body, err := assay.NormalizeComment(body)
	if err != nil {
		return assay.RequestComment{}, err
	}
	var out assay.RequestComment
	err = s.db.update(ctx, func(tx *Tx) error {
		req, err := s.requestByID(tx.ctx, tx.Tx, requestID)
		if err != nil {
			return err
		}
		now := formatTime(tx.now)
		var id int64
		if err := tx.queryRow(`INSERT INTO evidence_request_comments (org_id, request_id, author_id, author_name, body, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, s.orgID, requestID, nullInt(actor.UserID), actor.Name, body, now).Scan(&id); err != nil {
			return fmt.Errorf("insert comment on request %d: %w", requestID, err)
		}
		if _, err := tx.exec(`UPDATE evidence_requests SET updated_at = ? WHERE org_id = ? AND id = ?`, now, s.orgID, requestID); err != nil {
			return fmt.Errorf("touch request %d: %w", requestID, err)
		}
		out = assay.RequestComment{ID: id, RequestID: requestID, AuthorID: actor.UserID, AuthorName: actor.Name, Body: body, CreatedAt: tx.now}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "evidence_request.comment", objectType: "evidence_request", objectID: idText(requestID),
			summary: fmt.Sprintf("%s commented on evidence request %d for %s", actor.Name, requestID, req.ControlID), after: out})
		return err
	})
	if err != nil {
		return assay.RequestComment{}, err
	}
	return out, nil
}

// EvidenceRequestComments lists a request's thread, oldest first.
func (s *orgStore) EvidenceRequestComments(ctx context.Context, requestID int64) ([]assay.RequestComment, error) {
	if _, err := s.requestByID(ctx, s.db.read, requestID); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT id, author_id, author_name, body, created_at FROM evidence_request_comments
		WHERE org_id = ? AND request_id = ? ORDER BY id`, s.orgID, requestID)
	if err != nil {
		return nil, fmt.Errorf("comments of request %d: %w", requestID, err)
	}
	defer rows.Close()
	out := []assay.RequestComment{}
	for rows.Next() {
		c := assay.RequestComment{RequestID: requestID}
		var author sql.NullInt64
		var created string
		if err := rows.Scan(&c.ID, &author, &c.AuthorName, &c.Body, &created); err != nil {
			return nil, fmt.Errorf("scan comment: %w", err)
		}
		c.AuthorID = author.Int64
		if c.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
