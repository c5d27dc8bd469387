package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/icscript/icscript/intercom/catalog"
)

// config is ~/.config/icscript/config.toml (XDG):
//
//	default_profile = "prod"
//	[profile.prod]
//	region = "eu"
//	token_env = "PROD_INTERCOM_TOKEN"            # or:
//	token_command = "op read op://ops/intercom/token"
//	admin = "991"
type config struct {
	DefaultProfile string              `toml:"default_profile"`
	Profiles       map[string]*profile `toml:"profile"`
}

// profile is one named workspace.
type profile struct {
	Region       string `toml:"region"`
	BaseURL      string `toml:"base_url"`
	TokenEnv     string `toml:"token_env"`
	TokenCommand string `toml:"token_command"`
	Admin        string `toml:"admin"`
	APIVersion   string `toml:"api_version"`
}

func configPath(sys *System) string { return filepath.Join(sys.ConfigDir, "config.toml") }

// loadConfig reads the config file; a missing file is an empty config.
func loadConfig(sys *System) (*config, error) {
	path := configPath(sys)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &config{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	var c config
	md, err := toml.Decode(string(data), &c)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return nil, fmt.Errorf("%s: unknown setting %q (known: default_profile, and region, base_url, token_env, token_command, admin, api_version in [profile.NAME])", path, undecoded[0].String())
	}
	return &c, nil
}

// selectProfile picks the profile of a run: --profile, else
// ICSCRIPT_PROFILE, else default_profile; nil when none is named.
func (c *config) selectProfile(name string, sys *System) (string, *profile, error) {
	explicit := name != ""
	if name == "" {
		name = sys.Getenv("ICSCRIPT_PROFILE")
		explicit = name != ""
	}
	if name == "" {
		name = c.DefaultProfile
	}
	if name == "" {
		return "", nil, nil
	}
	p, ok := c.Profiles[name]
	if !ok {
		var names []string
		for n := range c.Profiles {
			names = append(names, n)
		}
		sort.Strings(names)
		msg := fmt.Sprintf("no profile %q in %s", name, configPath(sys))
		if guess := catalog.Suggest(name, names); guess != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", guess)
		} else if len(names) > 0 {
			msg += "; profiles: " + strings.Join(names, ", ")
		}
		if !explicit {
			msg += " (named by default_profile)"
		}
		return "", nil, usagef("%s", msg)
	}
	return name, p, nil
}

// token reads a profile's token from its variable or command.
func (p *profile) token(ctx context.Context, name string, sys *System) (string, error) {
	switch {
	case p.TokenEnv != "":
		t := sys.Getenv(p.TokenEnv)
		if t == "" {
			return "", usagef("profile %q reads its token from $%s, which is not set", name, p.TokenEnv)
		}
		return t, nil
	case p.TokenCommand != "":
		out, err := runTokenCommand(ctx, p.TokenCommand)
		if err != nil {
			return "", fmt.Errorf("profile %q: %w", name, err)
		}
		t := strings.TrimSpace(string(out))
		if t == "" {
			return "", usagef("profile %q: token_command printed nothing", name)
		}
		sys.secrets.add(t)
		return t, nil
	}
	return "", nil
}

// envSecrets are the variables a script's env must not show, whatever
// their names — INTERCOM_ACCESS_TOKEN, INTERCOM_API_KEY and the token_env
// of every profile — and the secrets whose presence in any variable's
// value hides it: those variables' values and the run's token.
func envSecrets(sys *System, token string) (names, values []string) {
	names = []string{"INTERCOM_ACCESS_TOKEN", "INTERCOM_API_KEY"}
	if c, err := loadConfig(sys); err == nil {
		for _, p := range c.Profiles {
			if p != nil && p.TokenEnv != "" {
				names = append(names, p.TokenEnv)
			}
		}
	}
	for _, n := range names {
		if v := sys.Getenv(n); v != "" {
			values = append(values, v)
		}
	}
	if token != "" {
		values = append(values, token)
	}
	return names, values
}

// tokenCommandTimeout bounds a token_command (a password manager waiting
// for a login that never comes).
var tokenCommandTimeout = 30 * time.Second

// runTokenCommand runs a profile's token_command in its own process group
// and returns what it printed. On the timeout or an interruption (the first
// Ctrl-C) the whole group is killed — the shell and anything it started —
// so that nothing holding its output keeps the run waiting.
func runTokenCommand(ctx context.Context, command string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, tokenCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second // a descendant that left the group and kept the pipe
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // what it left running
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, usagef("token_command did not finish within %s (stopped)", tokenCommandTimeout)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("token_command: %w", context.Cause(ctx))
	case err != nil:
		first, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		return nil, usagef("token_command failed (%v): %s", err, first)
	}
	return out, nil
}
