package store

import (
	"context"

	"github.com/assay-platform/assay"
)

// AlertStore is the organisation's alert channels and the log of what was
// sent to them (package monitor/alert sends; this only remembers).
type AlertStore interface {
	AlertChannels(ctx context.Context) ([]assay.AlertChannel, error)
	AlertChannel(ctx context.Context, id int64) (assay.AlertChannel, error)
	// CreateAlertChannel stores a channel. seal, when not nil, is called
	// inside the transaction with the new channel's id and returns the
	// sealed secrets (bound to that id) and the names of the secrets set.
	CreateAlertChannel(ctx context.Context, actor assay.Actor, n assay.NewAlertChannel, seal SealFunc) (assay.AlertChannel, error)
	// UpdateAlertChannel changes a channel; seal, when not nil, replaces
	// its secrets.
	UpdateAlertChannel(ctx context.Context, actor assay.Actor, id int64, p assay.AlertChannelPatch, seal SealFunc) (assay.AlertChannel, error)
	// DeleteAlertChannel removes a channel and its delivery log.
	DeleteAlertChannel(ctx context.Context, actor assay.Actor, id int64) error

	// ClaimAlertEvents starts a delivery to a channel: it records every key
	// of d.Keys no earlier delivery to the channel has claimed, and returns
	// the new pending delivery with the keys it claimed. When every key was
	// already claimed it returns a zero delivery and no keys, writing
	// nothing: the events were (or are being) sent already.
	ClaimAlertEvents(ctx context.Context, d assay.NewAlertDelivery) (assay.AlertDelivery, []string, error)
	// FinishAlertDelivery records how a delivery ended. A failed delivery
	// releases its keys, so a later notification may send the events again.
	FinishAlertDelivery(ctx context.Context, actor assay.Actor, id int64, f assay.AlertOutcome) (assay.AlertDelivery, error)
	// AlertDeliveries lists deliveries, newest first (channelID 0: all).
	AlertDeliveries(ctx context.Context, channelID int64, limit int) ([]assay.AlertDelivery, error)
}

// SealFunc seals secrets for the object with the given id; it returns the
// sealed blob and the names of the secrets it holds.
type SealFunc func(id int64) (sealed []byte, keys []string, err error)
