package assay

// shortestEdit finds a shortest edit script turning a into b and reports it
// as marks: removed[i] when a[i] is not kept, added[j] when b[j] is new.
// Every line left unmarked is matched, in order, with one on the other
// side, so the kept lines form a longest common subsequence.
//
// It is Myers' O((N+M)D) algorithm ("An O(ND) Difference Algorithm and Its
// Variations", 1986) with the linear-space refinement: find a point that
// lies on some shortest edit path by searching from both ends at once, then
// solve the two halves on either side of it. Memory is two vectors of
// furthest reaches plus the marks, whatever the number of changes.
func shortestEdit(a, b []int32) (removed, added []bool) {
	e := &editSearch{a: a, b: b, removed: make([]bool, len(a)), added: make([]bool, len(b))}
	size := len(a) + len(b) + 3
	e.fwd, e.rev = make([]int, 2*size+1), make([]int, 2*size+1)
	e.solve(0, len(a), 0, len(b))
	return e.removed, e.added
}

type editSearch struct {
	a, b           []int32
	removed, added []bool
	// fwd[off+k] is the furthest x reached on diagonal k = x-y from the
	// start of the current box; rev[off+k] the same from its end, counted
	// backwards (u = N-x, v = M-y, k = u-v). -1 means not reached.
	fwd, rev []int
}

// solve marks the edits turning a[x0:x1] into b[y0:y1].
func (e *editSearch) solve(x0, x1, y0, y1 int) {
	for x0 < x1 && y0 < y1 && e.a[x0] == e.b[y0] {
		x0, y0 = x0+1, y0+1
	}
	for x0 < x1 && y0 < y1 && e.a[x1-1] == e.b[y1-1] {
		x1, y1 = x1-1, y1-1
	}
	switch {
	case x0 == x1:
		for j := y0; j < y1; j++ {
			e.added[j] = true
		}
	case y0 == y1:
		for i := x0; i < x1; i++ {
			e.removed[i] = true
		}
	default:
		// Both sides are non-empty and differ at both ends, so at least
		// two edits are needed and the split point is strictly inside
		// the box: each half is smaller than the whole.
		sx, sy := e.split(x0, x1, y0, y1)
		e.solve(x0, sx, y0, sy)
		e.solve(sx, x1, sy, y1)
	}
}

// split returns a point (absolute indices) that lies on a shortest edit
// path through the box a[x0:x1], b[y0:y1].
//
// Why the returned point is on a shortest path: along one diagonal, the
// cost still to pay to reach the end never grows as x grows (a match is
// free; a mismatch can be stepped over by one removal and one addition,
// the same two edits any path around it needs). So when the forward reach
// on a diagonal has passed the backward reach on it, the forward point
// costs no more to finish than the backward point, and the sum of the
// two searches' depths is the shortest distance. The same holds, mirrored,
// for the backward point.
func (e *editSearch) split(x0, x1, y0, y1 int) (int, int) {
	a, b := e.a[x0:x1], e.b[y0:y1]
	n, m := len(a), len(b)
	delta := n - m
	odd := delta%2 != 0
	depth := (n + m + 1) / 2
	off := depth + 1
	fwd, rev := e.fwd[:2*off+1], e.rev[:2*off+1]
	for i := range fwd {
		fwd[i], rev[i] = -1, -1
	}
	fwd[off+1], rev[off+1] = 0, 0 // seeds: depth 0 steps "down" from diagonal 1 to (0,0)
	for d := 0; d <= depth; d++ {
		for k := -d; k <= d; k += 2 {
			x := reach(fwd, off, k, n, m)
			if x < 0 {
				fwd[off+k] = -1
				continue
			}
			for y := x - k; x < n && y < m && a[x] == b[y]; y++ {
				x++
			}
			fwd[off+k] = x
			if kb := delta - k; odd && kb >= -(d-1) && kb <= d-1 {
				if u := rev[off+kb]; u >= 0 && x+u >= n {
					return x0 + x, y0 + x - k
				}
			}
		}
		for k := -d; k <= d; k += 2 {
			u := reach(rev, off, k, n, m)
			if u < 0 {
				rev[off+k] = -1
				continue
			}
			for v := u - k; u < n && v < m && a[n-1-u] == b[m-1-v]; v++ {
				u++
			}
			rev[off+k] = u
			if kf := delta - k; !odd && kf >= -d && kf <= d {
				if x := fwd[off+kf]; x >= 0 && x+u >= n {
					return x0 + n - u, y0 + m - (u - k)
				}
			}
		}
	}
	// Not reached: the searches always meet by depth (n+m+1)/2. Should
	// they not, removing all of a then adding all of b is still a
	// correct, if long, answer.
	return x1, y0
}

// reach is the furthest x with which diagonal k can start at this depth:
// one step down from diagonal k+1 or one step right from diagonal k-1,
// whichever gets further without leaving the n-by-m box; -1 if neither.
func reach(v []int, off, k, n, m int) int {
	best := -1
	if x := v[off+k+1]; x >= 0 && x-k <= m {
		best = x
	}
	if x := v[off+k-1]; x >= 0 && x+1 <= n && x+1 > best {
		best = x + 1
	}
	return best
}
