# Shared by bench/conv-bench.sh and bench/conv-peak.sh (sourced): $root must be set. Builds the
# benchmarks jar if missing ($jar) and names the CPU's core type for OpenBLAS 0.3.21, which does not
# recognise every new Intel core and would otherwise fall back to its generic kernels ($core).
jar="$root/benchmarks/target/benchmarks.jar"
if [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q -DskipTests package -pl benchmarks -am) >&2
fi
if grep -qw avx512f /proc/cpuinfo; then core=SkylakeX; elif grep -qw avx2 /proc/cpuinfo; then core=Haswell; else core=""; fi
