#!/usr/bin/python3
"""GNU Radio's osmosdr source reading an rtl_tcp server, as people use it.

    osmosdr-client.py PORT CENTER_HZ STATION_HZ

Tunes the server to CENTER_HZ at 2.4 MS/s through the rtl_tcp protocol,
takes about a second of samples and checks that the strongest signal sits
at STATION_HZ - CENTER_HZ. Prints what it measured; exit 0 pass, 1 fail,
77 when gr-osmosdr is not installed.
"""
import sys

try:
    import numpy as np
    import osmosdr
    from gnuradio import blocks, gr
except ImportError as e:
    print("gr-osmosdr is not installed (%s): skipped" % e, file=sys.stderr)
    sys.exit(77)

RATE = 2.4e6
FFT = 4096


def main():
    port, center, station = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    tb = gr.top_block()
    src = osmosdr.source(args="numchan=1 rtl_tcp=127.0.0.1:%d" % port)
    src.set_sample_rate(RATE)
    src.set_center_freq(center)
    src.set_gain_mode(True)
    # Skip the first 0.3 s (the tuning settles), keep 1 s.
    skip = blocks.skiphead(gr.sizeof_gr_complex, int(0.3 * RATE))
    head = blocks.head(gr.sizeof_gr_complex, int(RATE))
    sink = blocks.vector_sink_c()
    tb.connect(src, skip, head, sink)
    tb.run()
    x = np.array(sink.data(), dtype=np.complex64)
    if len(x) < RATE / 2:
        print("only %d samples arrived" % len(x))
        return 1
    n = len(x) // FFT
    win = np.hanning(FFT)
    psd = np.zeros(FFT)
    for k in range(n):
        psd += np.abs(np.fft.fft(x[k * FFT:(k + 1) * FFT] * win)) ** 2
    psd = np.fft.fftshift(psd / n)
    freqs = (np.arange(FFT) - FFT // 2) * RATE / FFT
    db = 10 * np.log10(psd + 1e-20)
    # The station: the strongest 200 kHz wide stretch away from DC.
    smooth = np.convolve(db, np.ones(41) / 41, mode="same")
    smooth[np.abs(freqs) < 20e3] = -300
    # Its centre: the power-weighted mean within 150 kHz of the strongest
    # stretch (an FM station's spectrum is a comb around its carrier).
    rough = freqs[np.argmax(smooth)]
    near = np.abs(freqs - rough) < 150e3
    weights = psd[near] - np.median(psd)
    weights[weights < 0] = 0
    peak = float(np.sum(freqs[near] * weights) / np.sum(weights))
    expect = station - center
    above = smooth.max() - np.median(db)
    print("osmosdr: %d samples, station at %+.1f kHz (expected %+.1f kHz), %.1f dB above "
          "the noise" % (len(x), peak / 1e3, expect / 1e3, above))
    return 0 if abs(peak - expect) < 10e3 and above > 20 else 1


if __name__ == "__main__":
    sys.exit(main())
