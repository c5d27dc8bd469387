// Command startup measures how long short commands take from exec to exit:
// each command given runs -runs times, interleaved with the others, and the
// table has the median wall time, peak RSS and CPU time (user+system) of
// each, and their ratios to the first command (the baseline), and the median
// number of page faults (getrusage minflt + majflt): the machine's load
// changes the times but hardly the faults, and on a VM where a fault costs
// tens of microseconds they are most of a short command's time.
//
//	go run ./bench/startup -runs 15 -- go-hello ./hello -- node node -e 0 -- icscript bench/out/icscript -e 1
//
// Each command follows a "--": its label, then the program and its
// arguments. A command that fails stops the benchmark.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"time"
)

type sample struct {
	wall, cpu   time.Duration
	rss, faults int64
}

func main() {
	runs := flag.Int("runs", 15, "runs of each command (`N`)")
	flag.Parse()
	var names []string
	var cmds [][]string
	args := flag.Args()
	if len(args) > 0 && args[0] != "--" {
		args = append([]string{"--"}, args...) // flag.Parse took the first "--"
	}
	for _, a := range args {
		switch {
		case a == "--":
			names = append(names, "")
			cmds = append(cmds, nil)
		case len(names) == 0:
			usage()
		case names[len(names)-1] == "":
			names[len(names)-1] = a
		default:
			cmds[len(cmds)-1] = append(cmds[len(cmds)-1], a)
		}
	}
	if len(cmds) == 0 || slices.ContainsFunc(cmds, func(c []string) bool { return len(c) == 0 }) {
		usage()
	}
	got := make([][]sample, len(cmds))
	for r := 0; r < *runs; r++ {
		for i, c := range cmds {
			s, err := measure(c)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", names[i], err)
				os.Exit(1)
			}
			got[i] = append(got[i], s)
		}
	}
	med := func(ss []sample, f func(sample) float64) float64 {
		v := make([]float64, len(ss))
		for i, s := range ss {
			v[i] = f(s)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	wall := func(s sample) float64 { return float64(s.wall) / 1e6 }
	cpu := func(s sample) float64 { return float64(s.cpu) / 1e6 }
	rss := func(s sample) float64 { return float64(s.rss) / 1024 }
	faults := func(s sample) float64 { return float64(s.faults) }
	bw, bc, br := med(got[0], wall), med(got[0], cpu), med(got[0], rss)
	fmt.Println("| | wall time | × base | peak RSS | × base | CPU time | × base | page faults |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
	for i, name := range names {
		w, c, m := med(got[i], wall), med(got[i], cpu), med(got[i], rss)
		fmt.Printf("| %s | %.1f ms | %.2f | %.1f MiB | %.2f | %.1f ms | %.2f | %.0f |\n", name, w, w/bw, m, m/br, c, c/bc, med(got[i], faults))
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: startup [-runs N] -- LABEL CMD [ARG…] [-- LABEL CMD [ARG…]]…")
	os.Exit(2)
}

// measure runs one command with its output discarded.
func measure(c []string) (sample, error) {
	cmd := exec.Command(c[0], c[1:]...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%v: %s", err, out)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return sample{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), rss: ru.Maxrss, faults: ru.Minflt + ru.Majflt}, nil
}
