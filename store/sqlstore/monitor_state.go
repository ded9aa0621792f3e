package sqlstore

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"

	"github.com/assay-platform/assay"
)

// The current state of one (source, resource) is a blob holding, for every
// check ever evaluated on it, the status now, the interned reason, when the
// status began and when the pair was first seen. It is read once per run,
// compared in memory, and written back only when something changed.
//
// Encoding: uvarint base (Unix seconds, the earliest first-seen), then per
// entry in ascending check key order: uvarint key delta, status byte (with
// 0x80 set when there is a reason), [8-byte reason key], uvarint
// since-base, uvarint since-first.

// Status codes in the state blob and the transitions table.
const (
	codeGone  uint8 = 0
	codePass  uint8 = 1
	codeFail  uint8 = 2
	codeError uint8 = 3
)

func statusCode(s assay.CheckStatus) uint8 {
	switch s {
	case assay.CheckPass:
		return codePass
	case assay.CheckFail:
		return codeFail
	case assay.CheckError:
		return codeError
	}
	return codeGone
}

func codeStatus(c uint8) assay.CheckStatus {
	switch c {
	case codePass:
		return assay.CheckPass
	case codeFail:
		return assay.CheckFail
	case codeError:
		return assay.CheckError
	}
	return assay.CheckGone
}

// stateEntry is one check's current state on a resource.
type stateEntry struct {
	reason int64 // reasonKey of the reason text, 0 for none
	check  int64 // interned check key
	since  int64 // Unix seconds the status began
	first  int64 // Unix seconds the pair was first seen
	status uint8
	seen   bool // set while a run is applied
}

// reasonKey is the key a reason is stored under: the first 63 bits of
// its SHA-256 (never 0; "" has key 0).
func reasonKey(s string) int64 {
	if s == "" {
		return 0
	}
	sum := sha256.Sum256([]byte(s))
	k := int64(binary.BigEndian.Uint64(sum[:8]) >> 1)
	if k == 0 {
		k = 1
	}
	return k
}

var errBadState = errors.New("monitoring state blob is corrupt")

// decodeState appends the entries of blob to dst.
func decodeState(dst []stateEntry, blob []byte) ([]stateEntry, error) {
	if len(blob) == 0 {
		return dst, nil
	}
	base, n := binary.Uvarint(blob)
	if n <= 0 {
		return dst, errBadState
	}
	blob = blob[n:]
	var key int64
	for len(blob) > 0 {
		var e stateEntry
		d, n := binary.Uvarint(blob)
		if n <= 0 || len(blob) < n+1 {
			return dst, errBadState
		}
		key += int64(d)
		e.check, e.status = key, blob[n]
		blob = blob[n+1:]
		if e.status&0x80 != 0 {
			if len(blob) < 8 {
				return dst, errBadState
			}
			e.status &^= 0x80
			e.reason, blob = int64(binary.LittleEndian.Uint64(blob)), blob[8:]
		}
		s, n := binary.Uvarint(blob)
		if n <= 0 {
			return dst, errBadState
		}
		blob = blob[n:]
		f, n := binary.Uvarint(blob)
		if n <= 0 {
			return dst, errBadState
		}
		blob = blob[n:]
		e.since = int64(base) + int64(s)
		e.first = e.since - int64(f)
		dst = append(dst, e)
	}
	return dst, nil
}

// encodeState writes entries (sorted by check key) as a blob.
func encodeState(dst []byte, entries []stateEntry) []byte {
	dst = dst[:0]
	if len(entries) == 0 {
		return dst
	}
	base := entries[0].first
	for _, e := range entries {
		base = min(base, e.first)
	}
	dst = binary.AppendUvarint(dst, uint64(base))
	var key int64
	for _, e := range entries {
		dst = binary.AppendUvarint(dst, uint64(e.check-key))
		key = e.check
		if e.reason != 0 {
			dst = append(dst, e.status|0x80)
			dst = binary.LittleEndian.AppendUint64(dst, uint64(e.reason))
		} else {
			dst = append(dst, e.status)
		}
		dst = binary.AppendUvarint(dst, uint64(e.since-base))
		dst = binary.AppendUvarint(dst, uint64(e.since-e.first))
	}
	return dst
}

// findEntry returns the index of check in entries (sorted by check key),
// or where to insert it and false.
func findEntry(entries []stateEntry, check int64) (int, bool) {
	lo, hi := 0, len(entries)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if entries[m].check < check {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(entries) && entries[lo].check == check
}
