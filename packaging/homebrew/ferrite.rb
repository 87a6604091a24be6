# Homebrew formula for Ferrite. Until a release is tagged it builds the main
# branch (`brew install --HEAD`, from a tap: see the README's Install section).
# At the first release add `url` with the tag's tarball and its `sha256`.
class Ferrite < Formula
  desc "Receiver for RTL-SDR dongles with a live spectrum and waterfall"
  homepage "https://github.com/ferrite-sdr/ferrite"
  license "GPL-3.0-or-later"
  head "https://github.com/ferrite-sdr/ferrite.git", branch: "main"

  depends_on "meson" => :build
  depends_on "ninja" => :build
  depends_on "pkgconf" => :build
  depends_on "fftw"
  depends_on "gettext"
  depends_on "glib"
  depends_on "gtk4"
  depends_on "libusb"
  depends_on "portaudio"

  def install
    # The schema and icon caches are Homebrew's to build, in post_install:
    # a DESTDIR makes meson skip its own cache updates.
    ENV["DESTDIR"] = "/"
    system "meson", "setup", "build", "-Dgui_tests=false", *std_meson_args
    system "meson", "compile", "-C", "build", "--verbose"
    system "meson", "install", "-C", "build"
  end

  def post_install
    system Formula["glib"].opt_bin/"glib-compile-schemas", HOMEBREW_PREFIX/"share/glib-2.0/schemas"
    system Formula["gtk4"].opt_bin/"gtk4-update-icon-cache", "-q", "-t", "-f",
           HOMEBREW_PREFIX/"share/icons/hicolor"
  end

  test do
    assert_match(/^ferrite \d+\.\d+\.\d+$/, shell_output("#{bin}/ferrite --version").strip)
    # One second of the built-in demo dongle's station, demodulated into a file:
    # 48 kHz 16-bit mono after a 44-byte header.
    system bin/"ferrite", "--headless", "--source", "demo", "--freq", "100M",
           "--seconds", "1", "--audio-out", testpath/"demo.wav"
    assert_path_exists testpath/"demo.wav"
    assert_equal "RIFF", File.binread(testpath/"demo.wav", 4)
    assert_operator File.size(testpath/"demo.wav"), :>=, 44 + (0.95 * 48_000 * 2)
  end
end
