package formats

import "time"

// DateTime reports whether s is an RFC 3339 date-time (section 5.6):
// "1985-04-12T23:20:50.52Z". "T" and "Z" may be lower case, and a leap
// second (second 60) is allowed at 23:59 UTC, as RFC 3339 allows.
func DateTime(s string) bool {
	_, ok := ParseDateTime(s)
	return ok
}

// ParseDateTime parses an RFC 3339 date-time, including what time.Parse
// refuses: a lower-case "t" or "z", and a leap second (23:59:60 UTC), which
// becomes the first instant of the next second, as time.Date normalizes
// it, since a time.Time cannot hold second 60.
func ParseDateTime(s string) (time.Time, bool) {
	if len(s) < 20 || s[10] != 'T' && s[10] != 't' {
		return time.Time{}, false
	}
	y, mo, d, ok := fullDate(s[:10])
	if !ok {
		return time.Time{}, false
	}
	c, ok := fullTime(s[11:])
	if !ok {
		return time.Time{}, false
	}
	loc := time.UTC
	if c.offset != 0 {
		loc = time.FixedZone("", c.offset)
	}
	return time.Date(y, time.Month(mo), d, c.hour, c.min, c.sec, c.nsec, loc), true
}

// Date reports whether s is an RFC 3339 full-date: "1985-04-12", with a day
// that exists in its month (February 29 only in leap years).
func Date(s string) bool {
	_, _, _, ok := fullDate(s)
	return ok
}

// ParseDate parses an RFC 3339 full-date into midnight UTC of that day.
func ParseDate(s string) (time.Time, bool) {
	y, m, d, ok := fullDate(s)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}

// Time reports whether s is an RFC 3339 full-time: "23:20:50.52Z", with
// its offset ("Z" or "+hh:mm"); a leap second must fall at 23:59 UTC.
func Time(s string) bool {
	_, ok := fullTime(s)
	return ok
}

// clock is a parsed RFC 3339 full-time.
type clock struct {
	hour, min, sec, nsec int
	offset               int // seconds east of UTC
}

// fullDate parses date-fullyear "-" date-month "-" date-mday.
func fullDate(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	y, ok1 := digits(s, 0, 4)
	m, ok2 := digits(s, 5, 2)
	d, ok3 := digits(s, 8, 2)
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// daysIn returns the number of days of month m (1-12) of year y in the
// proleptic Gregorian calendar.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// fullTime parses partial-time time-offset: hh ":" mm ":" ss ["." 1*DIGIT]
// ("Z" / ("+" / "-") hh ":" mm).
func fullTime(s string) (clock, bool) {
	var c clock
	if len(s) < 9 || s[2] != ':' || s[5] != ':' {
		return c, false
	}
	var ok1, ok2, ok3 bool
	c.hour, ok1 = digits(s, 0, 2)
	c.min, ok2 = digits(s, 3, 2)
	c.sec, ok3 = digits(s, 6, 2)
	if !ok1 || !ok2 || !ok3 || c.hour > 23 || c.min > 59 || c.sec > 60 {
		return c, false
	}
	i := 8
	if s[i] == '.' {
		i++
		start := i
		for i < len(s) && isDigit(s[i]) {
			if i-start < 9 {
				c.nsec = c.nsec*10 + int(s[i]-'0')
			}
			i++
		}
		if i == start {
			return c, false
		}
		for n := i - start; n < 9; n++ {
			c.nsec *= 10
		}
	}
	switch rest := s[i:]; {
	case rest == "Z" || rest == "z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		h, ok1 := digits(rest, 1, 2)
		m, ok2 := digits(rest, 4, 2)
		if !ok1 || !ok2 || h > 23 || m > 59 {
			return c, false
		}
		c.offset = h*3600 + m*60
		if rest[0] == '-' {
			c.offset = -c.offset
		}
	default:
		return c, false
	}
	if c.sec == 60 {
		// A leap second is inserted at the end of a UTC day: 23:59:60 UTC.
		utc := ((c.hour*60+c.min-c.offset/60)%1440 + 1440) % 1440
		if utc != 23*60+59 {
			return c, false
		}
	}
	return c, true
}

// Duration reports whether s is a duration of RFC 3339's Appendix A (ISO
// 8601): "P" followed by years, months, days and a time part, or by weeks
// alone; each unit in order, without fractions or signs: "P1Y2M3DT4H5M6S",
// "PT36H", "P2W". A year followed by days must have months between them, an
// hour followed by seconds minutes, as the grammar says.
func Duration(s string) bool {
	if len(s) < 3 || s[0] != 'P' {
		return false
	}
	rest := s[1:]
	// unit reads 1*DIGIT followed by a unit letter of the set.
	unit := func(set string) (byte, bool) {
		i := 0
		for i < len(rest) && isDigit(rest[i]) {
			i++
		}
		if i == 0 || i == len(rest) {
			return 0, false
		}
		u := rest[i]
		for j := 0; j < len(set); j++ {
			if set[j] == u {
				rest = rest[i+1:]
				return u, true
			}
		}
		return 0, false
	}
	// chain reads a run of units where each unit must be followed by the
	// next one of order, or end the run: Y [M [D]], M [D], D, H [M [S]]...
	chain := func(order string) bool {
		u, ok := unit(order)
		if !ok {
			return false
		}
		k := 0
		for order[k] != u {
			k++
		}
		for k+1 < len(order) && rest != "" && rest[0] != 'T' {
			if _, ok := unit(order[k+1 : k+2]); !ok {
				return false
			}
			k++
		}
		return true
	}
	if rest[0] != 'T' {
		save := rest
		if u, ok := unit("W"); ok && u == 'W' {
			return rest == ""
		}
		rest = save
		if !chain("YMD") {
			return false
		}
		if rest == "" {
			return true
		}
	}
	if rest[0] != 'T' {
		return false
	}
	rest = rest[1:]
	return chain("HMS") && rest == ""
}
