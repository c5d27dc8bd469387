// Package config decides where a run goes and how: the profiles of the
// config file, the access token (from the environment, a profile's
// token_env or its token_command), the region and base URL, and the API
// version (flag, script pragma, profile, default).
//
// It never reads the process: the caller gives it the environment and the
// configuration folder (Env). Its messages name icscript's flags and
// variables, so it is internal. It may import intercom/catalog (versions,
// did-you-mean) and internal/safety (URLs fit to print, secrets to redact).
package config

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

	"github.com/icscript/icscript/internal/suggest"
)

// Env is what the package knows of the process, given by its caller.
type Env struct {
	// Getenv reads an environment variable ("" when unset).
	Getenv func(string) string
	// ConfigDir is the folder of config.toml ($XDG_CONFIG_HOME/icscript).
	ConfigDir string
	// Environ is the environment a token_command runs with; nil for the
	// process's own.
	Environ func() []string
	// Dir is the folder a token_command runs in; "" for the process's
	// working directory.
	Dir string
	// TokenTimeout bounds a token_command; 0 means TokenCommandTimeout.
	TokenTimeout time.Duration
}

// Error is a mistake in the configuration or in what the environment
// holds: the config file, a profile, a token's source, an API version.
// cmd/icscript reports it as a usage error (exit 2). A config file that
// cannot be read, or a token_command interrupted, is no such mistake.
type Error struct{ err error }

func (e *Error) Error() string { return e.err.Error() }

// Unwrap is the cause the message wraps (%w), if any.
func (e *Error) Unwrap() error { return errors.Unwrap(e.err) }

func errorf(format string, args ...any) error { return &Error{fmt.Errorf(format, args...)} }

// The variables that hold the access token, in the order they are read:
// INTERCOM_API_KEY is the official SDKs' name.
const (
	TokenVar    = "INTERCOM_ACCESS_TOKEN"
	APIKeyVar   = "INTERCOM_API_KEY"
	ProfileVar  = "ICSCRIPT_PROFILE" // names the profile when --profile does not
	configFile  = "config.toml"
	knownFields = "default_profile, and region, base_url, token_env, token_command, admin, api_version in [profile.NAME]"
)

// TokenVars are the variables a token may come from, whatever the profile.
var TokenVars = []string{TokenVar, APIKeyVar}

// File is ~/.config/icscript/config.toml (XDG):
//
//	default_profile = "prod"
//	[profile.prod]
//	region = "eu"
//	token_env = "PROD_INTERCOM_TOKEN"            # or:
//	token_command = "op read op://ops/intercom/token"
//	admin = "991"
type File struct {
	DefaultProfile string              `toml:"default_profile"`
	Profiles       map[string]*Profile `toml:"profile"`
}

// Profile is one named workspace.
type Profile struct {
	Region       string `toml:"region"`
	BaseURL      string `toml:"base_url"`
	TokenEnv     string `toml:"token_env"`
	TokenCommand string `toml:"token_command"`
	Admin        string `toml:"admin"`
	APIVersion   string `toml:"api_version"`
}

// Path is the config file's path.
func (e Env) Path() string { return filepath.Join(e.ConfigDir, configFile) }

// Load reads the config file; a missing file is an empty config.
func Load(env Env) (*File, error) {
	path := env.Path()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &File{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	var c File
	md, err := toml.Decode(string(data), &c)
	if err != nil {
		return nil, errorf("%s: %w", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return nil, errorf("%s: unknown setting %q (known: %s)", path, undecoded[0].String(), knownFields)
	}
	return &c, nil
}

// Select picks the profile of a run: name (--profile), else
// $ICSCRIPT_PROFILE, else default_profile; nil when none is named.
func (c *File) Select(name string, env Env) (string, *Profile, error) {
	explicit := name != ""
	if name == "" {
		name = env.Getenv(ProfileVar)
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
		msg := fmt.Sprintf("no profile %q in %s", name, env.Path())
		if guess := suggest.Closest(name, names); guess != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", guess)
		} else if len(names) > 0 {
			msg += "; profiles: " + strings.Join(names, ", ")
		}
		if !explicit {
			msg += " (named by default_profile)"
		}
		return "", nil, errorf("%s", msg)
	}
	return name, p, nil
}

// Token reads the token of the profile called name from its variable or
// its command; "" when the profile names neither.
func (p *Profile) Token(ctx context.Context, name string, env Env) (string, error) {
	switch {
	case p.TokenEnv != "":
		t := env.Getenv(p.TokenEnv)
		if t == "" {
			return "", errorf("profile %q reads its token from $%s, which is not set", name, p.TokenEnv)
		}
		return t, nil
	case p.TokenCommand != "":
		out, err := env.runTokenCommand(ctx, p.TokenCommand)
		if err != nil {
			return "", fmt.Errorf("profile %q: %w", name, err)
		}
		t := strings.TrimSpace(string(out))
		if t == "" {
			return "", errorf("profile %q: token_command printed nothing", name)
		}
		return t, nil
	}
	return "", nil
}

// EnvToken reads the access token from the environment:
// INTERCOM_ACCESS_TOKEN, else INTERCOM_API_KEY.
func EnvToken(getenv func(string) string) string {
	for _, name := range TokenVars {
		if t := getenv(name); t != "" {
			return t
		}
	}
	return ""
}

// Secrets are the variables a script's env must not show, whatever
// their names — INTERCOM_ACCESS_TOKEN, INTERCOM_API_KEY and the token_env
// of every profile — and the secrets whose presence in any variable's
// value hides it: those variables' values and the run's token ("" for
// none). A config file that cannot be read adds no names.
func Secrets(env Env, token string) (names, values []string) {
	names = append([]string(nil), TokenVars...)
	if c, err := Load(env); err == nil {
		for _, p := range c.Profiles {
			if p != nil && p.TokenEnv != "" {
				names = append(names, p.TokenEnv)
			}
		}
	}
	for _, n := range names {
		if v := env.Getenv(n); v != "" {
			values = append(values, v)
		}
	}
	if token != "" {
		values = append(values, token)
	}
	return names, values
}

// TokenCommandTimeout bounds a token_command (a password manager waiting
// for a login that never comes) unless Env.TokenTimeout says otherwise.
const TokenCommandTimeout = 30 * time.Second

func (e Env) tokenTimeout() time.Duration {
	if e.TokenTimeout > 0 {
		return e.TokenTimeout
	}
	return TokenCommandTimeout
}

// runTokenCommand runs a profile's token_command in its own process group
// and returns what it printed. On the timeout or when ctx ends (the first
// Ctrl-C) the whole group is killed — the shell and anything it started —
// so that nothing holding its output keeps the run waiting.
func (e Env) runTokenCommand(ctx context.Context, command string) ([]byte, error) {
	timeout := e.tokenTimeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	cmd.Dir = e.Dir
	if e.Environ != nil {
		cmd.Env = e.Environ()
	}
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
		return nil, errorf("token_command did not finish within %s (stopped)", timeout)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("token_command: %w", context.Cause(ctx))
	case err != nil:
		first, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		return nil, errorf("token_command failed (%v): %s", err, first)
	}
	return out, nil
}
