#!/usr/bin/env python3
"""GNU Radio 3.10 flowgraphs doing what bench-dsp's Ferrite chains do.

    gr-bench.py FILE.cu8 RATE N_SAMPLES REPEATS

Reads the cu8 stream bench-dsp wrote, runs each flowgraph over all of it
(cu8 -> complex float -> channel -> demodulator -> 48 kHz audio -> null
sink), and prints "chain<TAB>input MS/s" per chain, best of REPEATS runs.
Run it under the same CPU affinity as bench-dsp (taskset -c 0): GNU Radio
gives every block a thread, so on one core wall time is CPU time.

The station offsets match bench/dsp/dsp.c. The filters are the usual
firdes designs a flowgraph author writes: a transition a quarter to a half
of the passband wide, Hamming windows.
"""
import sys
import time

from gnuradio import analog, blocks, filter, gr
from gnuradio.filter import firdes

OFF_WFM = 312500.0
OFF_NFM = (-400000.0, -450000.0, -350000.0, -500000.0)
OFF_AM = -600000.0
OFF_USB = 700000.0


def source(tb, path):
    """cu8 file -> complex float in [-1, 1). Pairs of floats are taken as
    complex items by stream_to_vector (a copy); deinterleave +
    float_to_complex would cost ten times as much."""
    src = blocks.file_source(gr.sizeof_char, path, False)
    to_f = blocks.uchar_to_float()
    pairs = blocks.stream_to_vector(gr.sizeof_float, 2)
    offset = blocks.add_const_cc(complex(-127.5, -127.5))
    scale = blocks.multiply_const_cc(1.0 / 127.5)
    tb.connect(src, to_f, pairs, offset, scale)
    return scale


def wfm_mono(tb, src, rate):
    taps = firdes.low_pass(1.0, rate, 100e3, 50e3)
    xlate = filter.freq_xlating_fir_filter_ccf(8, taps, OFF_WFM, rate)
    ch_rate = rate / 8
    demod = analog.quadrature_demod_cf(ch_rate / (2 * 3.141592653589793 * 75e3))
    deemph = analog.fm_deemph(ch_rate, 50e-6)
    audio = filter.rational_resampler_fff(4, 25)
    tb.connect(src, xlate, demod, deemph, audio, blocks.null_sink(gr.sizeof_float))


def wfm_stereo(tb, src, rate):
    taps = firdes.low_pass(1.0, rate, 100e3, 50e3)
    xlate = filter.freq_xlating_fir_filter_ccf(10, taps, OFF_WFM, rate)
    rx = analog.wfm_rcv_pll(rate / 10, 5, 50e-6)
    tb.connect(src, xlate, rx)
    tb.connect((rx, 0), blocks.null_sink(gr.sizeof_float))
    tb.connect((rx, 1), blocks.null_sink(gr.sizeof_float))


def nfm(tb, src, rate, offset):
    taps = firdes.low_pass(1.0, rate, 7.5e3, 5e3)
    xlate = filter.freq_xlating_fir_filter_ccf(50, taps, offset, rate)
    rx = analog.nbfm_rx(audio_rate=48000, quad_rate=48000, tau=75e-6, max_dev=5e3)
    tb.connect(src, xlate, rx, blocks.null_sink(gr.sizeof_float))


def am(tb, src, rate):
    taps = firdes.low_pass(1.0, rate, 5e3, 5e3)
    xlate = filter.freq_xlating_fir_filter_ccf(50, taps, OFF_AM, rate)
    rx = analog.am_demod_cf(48000, 1, 5000, 5500)
    tb.connect(src, xlate, rx, blocks.null_sink(gr.sizeof_float))


def usb(tb, src, rate):
    taps = firdes.complex_band_pass(1.0, rate, 100, 2900, 400)
    xlate = filter.freq_xlating_fir_filter_ccc(200, taps, OFF_USB, rate)
    real = blocks.complex_to_real()
    audio = filter.rational_resampler_fff(4, 1)
    tb.connect(src, xlate, real, audio, blocks.null_sink(gr.sizeof_float))


def four_nfm(tb, src, rate):
    for off in OFF_NFM:
        nfm(tb, src, rate, off)


CHAINS = [
    ("wfm-stereo", wfm_stereo),
    ("wfm-mono", wfm_mono),
    ("nfm", lambda tb, src, rate: nfm(tb, src, rate, OFF_NFM[0])),
    ("am", am),
    ("usb", usb),
    ("4 x nfm", four_nfm),
]


def main():
    path, rate, n, repeats = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    for name, build in CHAINS:
        best = float("inf")
        for _ in range(repeats):
            tb = gr.top_block()
            build(tb, source(tb, path), rate)
            t0 = time.perf_counter()
            tb.run()
            best = min(best, time.perf_counter() - t0)
        print("%s\t%.2f" % (name, n / best / 1e6), flush=True)


if __name__ == "__main__":
    main()
