package hostcheck

import (
	"path"
	"strconv"
	"strings"
)

// sshdDefaults are OpenSSH's built-in values for the settings we report,
// used when no configuration line sets them.
var sshdDefaults = map[string]string{
	"permitrootlogin":              "prohibit-password",
	"passwordauthentication":       "yes",
	"kbdinteractiveauthentication": "yes",
	"pubkeyauthentication":         "yes",
	"permitemptypasswords":         "no",
	"maxauthtries":                 "6",
	"x11forwarding":                "no",
	"clientaliveinterval":          "0",
	"logingracetime":               "120",
	"loglevel":                     "INFO",
	"allowtcpforwarding":           "yes",
}

// sshdConfig collects effective global settings the way sshd does: the
// first value of a keyword wins, Include pulls files in at its place (globs
// sorted, relative paths under /etc/ssh), and lines after a Match belong to
// that Match block and are not global.
type sshdConfig struct {
	fs     hostFS
	values map[string]string
	files  []string
}

func (c *sshdConfig) readFile(p string, depth int) {
	if depth > 16 {
		return
	}
	b, ok := c.fs.read(p)
	if !ok {
		return
	}
	c.files = append(c.files, p)
	for _, line := range configLines(b) {
		key, val := keyValue(line)
		key = strings.ToLower(key)
		switch key {
		case "match":
			// The rest of this file is conditional.
			return
		case "include":
			for _, pat := range strings.Fields(val) {
				if !path.IsAbs(pat) {
					pat = path.Join("/etc/ssh", pat)
				}
				for _, inc := range c.fs.glob(pat) {
					c.readFile(inc, depth+1)
				}
			}
			continue
		case "challengeresponseauthentication":
			key = "kbdinteractiveauthentication" // the older name of the same setting
		}
		if _, set := c.values[key]; !set {
			c.values[key] = val
		}
	}
}

func (c *sshdConfig) get(key string) string {
	if v, ok := c.values[key]; ok {
		return v
	}
	return sshdDefaults[key]
}

func (c *sshdConfig) yes(key string) bool { return strings.EqualFold(c.get(key), "yes") }

// sshdAttrs reports sshd's effective settings. installed is false when
// there is no /etc/ssh/sshd_config (checks then pass: no sshd, no risk).
func sshdAttrs(fs hostFS) map[string]any {
	c := &sshdConfig{fs: fs, values: map[string]string{}}
	c.readFile("/etc/ssh/sshd_config", 0)
	root := strings.ToLower(c.get("permitrootlogin"))
	if root == "without-password" {
		root = "prohibit-password"
	}
	maxTries, err := strconv.ParseInt(c.get("maxauthtries"), 10, 64)
	if err != nil {
		maxTries = 6
	}
	alive := sshTime(c.get("clientaliveinterval"))
	files := make([]any, len(c.files))
	for i, f := range c.files {
		files[i] = f
	}
	return map[string]any{
		"installed":                      len(c.files) > 0,
		"config_files":                   files,
		"permit_root_login":              root,
		"password_authentication":        c.yes("passwordauthentication"),
		"kbd_interactive_authentication": c.yes("kbdinteractiveauthentication"),
		"pubkey_authentication":          c.yes("pubkeyauthentication"),
		"permit_empty_passwords":         c.yes("permitemptypasswords"),
		"max_auth_tries":                 maxTries,
		"x11_forwarding":                 c.yes("x11forwarding"),
		"allow_tcp_forwarding":           strings.ToLower(c.get("allowtcpforwarding")),
		"client_alive_interval":          alive,
		"log_level":                      strings.ToUpper(c.get("loglevel")),
	}
}

// sshTime reads sshd's time format ("300", "5m", "1h30m") as seconds; an
// unreadable value is 0.
func sshTime(v string) int64 {
	var total, n int64
	digits := false
	for _, ch := range strings.ToLower(v) {
		if ch >= '0' && ch <= '9' {
			n = n*10 + int64(ch-'0')
			digits = true
			continue
		}
		mult, ok := map[rune]int64{'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 604800}[ch]
		if !ok || !digits {
			return 0
		}
		total += n * mult
		n, digits = 0, false
	}
	return total + n
}
