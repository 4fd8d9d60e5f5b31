// Four PEs, a 4 words/cycle NoC, off-chip fast enough not to matter.
num_pes: 4
noc_bw_cstr: 4
offchip_bw_cstr: 100
