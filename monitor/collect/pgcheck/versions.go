package pgcheck

import "time"

// endOfLife lists the date the PostgreSQL project stops fixing each major
// version (its final minor release, per the project's versioning policy:
// five years after the first release). Update it when a major version is
// released; a major newer than every entry counts as supported.
var endOfLife = map[int64]string{
	9:  "2021-11-11", // 9.6, the last 9.x
	10: "2022-11-10",
	11: "2023-11-09",
	12: "2024-11-21",
	13: "2025-11-13",
	14: "2026-11-12",
	15: "2027-11-11",
	16: "2028-11-09",
	17: "2029-11-08",
	18: "2030-11-14",
}

// support says whether a major version is still supported at now, its
// end-of-life date ("" when unknown) and the days left until it (negative
// once past).
func support(major int64, now time.Time) (supported bool, eol string, daysLeft int64) {
	eol, ok := endOfLife[major]
	if !ok {
		newest := int64(0)
		for m := range endOfLife {
			newest = max(newest, m)
		}
		return major > newest, "", 0
	}
	end, err := time.Parse(time.DateOnly, eol)
	if err != nil {
		return false, eol, 0
	}
	daysLeft = int64(end.Sub(now).Hours() / 24)
	return now.Before(end), eol, daysLeft
}

// majorOf turns server_version_num (150020, 90624) into the major version
// (15, 9).
func majorOf(num int64) int64 { return num / 10000 }
