// A 256-PE accelerator described the way MAESTRO's hardware files are:
// L1 of 100 words per PE, an L2 of 3000 words, a 1000 words/cycle NoC and
// 50 words/cycle from off-chip.
num_pes: 256
l1_size_cstr: 100
l2_size_cstr: 3000
noc_bw_cstr: 1000
offchip_bw_cstr: 50
