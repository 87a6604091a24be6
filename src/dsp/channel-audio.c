#define G_LOG_DOMAIN "fer-dsp"

/* channel-audio.c - the channel's last step: resample the demodulated
 * streams to the output rate and condition them (AGC, high-/low-pass). */
#include "channel-private.h"

#include <math.h>
#include <string.h>

#define AUDIO_ATTEN_DB 66.0
#define WFM_AUDIO_PASS_HZ 15000.0
#define WFM_AUDIO_STOP_HZ 19000.0     /* the stereo pilot must be gone */

static void
build_audio (FerChannel *ch)
{
  double ch_rate = ch->channel_rate_hz, audio = ch->audio_rate_hz;
  gsize ch_cap = ch->ch_cap;
  double pass, stop;
  if (ch->info->demod == FER_DEMOD_FM && ch->info->wide)
    {
      stop = MIN (WFM_AUDIO_STOP_HZ, audio / 2);
      pass = MIN (WFM_AUDIO_PASS_HZ, stop * 0.8);
    }
  else
    {
      /* Narrow modes: whatever the channel filter lets through, up to what both rates hold. */
      double lo = MIN (ch_rate, audio);
      pass = MIN (ch->info->bw_max / 2 + CW_PITCH_HZ + SSB_LOW_HZ, 0.42 * lo);
      stop = lo - pass;
    }
  ch->audio_decim_factor = 1;
  for (guint s = 0; s < ch->n_streams; s++)
    {
      if (ch->mode == FER_MODE_RAW)
        continue;
      if (fabs (ch_rate - audio) < 1e-6 * audio)
        continue;
      guint r = ch->info->wide ? fer_plan_audio_decim (ch_rate, audio, pass, stop, AUDIO_ATTEN_DB)
                               : 1;
      double f1 = ch_rate / r;
      ch->audio_decim_factor = r;
      if (r > 1)
        ch->audio_decim[s] = fer_resampler_new (ch_rate, f1, pass, f1 - stop, AUDIO_ATTEN_DB);
      ch->audio_rs[s] = fer_resampler_new (f1, audio, pass, stop, AUDIO_ATTEN_DB);
    }
  if (ch->audio_decim[0] != NULL)
    ch->audio_scratch = g_new (float, fer_resampler_max_out (ch->audio_decim[0], ch_cap));
  gsize out_cap = fer_channel_max_out (ch, BLOCK) + 4;
  for (guint s = 0; s < ch->n_streams; s++)
    ch->stream_out[s] = g_new (float, out_cap);
}

void
fer_channel_audio_init (FerChannel *ch)
{
  build_audio (ch);
  ch->agc_mode = FER_AGC_MEDIUM;
  ch->agc = fer_agc_new (ch->audio_rate_hz, ch->info->agc ? ch->agc_mode : FER_AGC_OFF);
  double out_rate = fer_channel_get_output_rate (ch);
  ch->highpass = fer_iir_new (out_rate, ch->n_streams);
  ch->lowpass = fer_iir_new (out_rate, ch->n_streams);
  if (ch->mode != FER_MODE_RAW)
    fer_channel_set_audio_filter (ch, ch->info->highpass_hz, ch->info->lowpass_hz);
}

void
fer_channel_audio_free (FerChannel *ch)
{
  for (guint s = 0; s < MAX_STREAMS; s++)
    {
      fer_resampler_free (ch->audio_decim[s]);
      fer_resampler_free (ch->audio_rs[s]);
      g_free (ch->stream_out[s]);
    }
  g_free (ch->audio_scratch);
  fer_agc_free (ch->agc);
  fer_iir_free (ch->highpass);
  fer_iir_free (ch->lowpass);
}

void
fer_channel_audio_reset (FerChannel *ch)
{
  for (guint s = 0; s < MAX_STREAMS; s++)
    {
      if (ch->audio_decim[s])
        fer_resampler_reset (ch->audio_decim[s]);
      if (ch->audio_rs[s])
        fer_resampler_reset (ch->audio_rs[s]);
    }
  fer_agc_reset (ch->agc);
  fer_iir_reset (ch->highpass);
  fer_iir_reset (ch->lowpass);
}

gsize
fer_channel_max_out (FerChannel *ch, gsize n_in)
{
  gsize n = fer_channel_max_channel_samples (ch, n_in);
  if (ch->audio_decim[0])
    n = fer_resampler_max_out (ch->audio_decim[0], n);
  if (ch->audio_rs[0])
    n = fer_resampler_max_out (ch->audio_rs[0], n);
  return n;
}

void
fer_channel_set_agc (FerChannel *ch, FerAgcMode mode)
{
  g_return_if_fail (ch != NULL);
  ch->agc_mode = mode;
  if (ch->info->agc)
    fer_agc_set_mode (ch->agc, mode);
}

FerAgcMode
fer_channel_get_agc (FerChannel *ch)
{
  return ch->agc_mode;
}

void
fer_channel_set_audio_filter (FerChannel *ch, double highpass_hz, double lowpass_hz)
{
  g_return_if_fail (ch != NULL);
  if (ch->mode == FER_MODE_RAW)
    return;
  ch->highpass_hz = MAX (highpass_hz, 0.0);
  ch->lowpass_hz = MAX (lowpass_hz, 0.0);
  /* A steep high-pass (Chebyshev, 0.5 dB ripple) takes CTCSS tones (67-254 Hz)
   * 25 dB and more down below a 300 Hz corner; the low-pass stays flat. */
  fer_iir_design (ch->highpass, FER_IIR_HIGHPASS, ch->highpass_hz, 8, 0.5);
  fer_iir_design (ch->lowpass, FER_IIR_LOWPASS, ch->lowpass_hz, 8, 0);
}

void
fer_channel_get_audio_filter (FerChannel *ch, double *highpass_hz, double *lowpass_hz)
{
  if (highpass_hz)
    *highpass_hz = ch->highpass_hz;
  if (lowpass_hz)
    *lowpass_hz = ch->lowpass_hz;
}

/* One stream through the audio decimator and resampler. */
static gsize
resample_stream (FerChannel *ch, guint s, const float *in, gsize n, float *out)
{
  if (ch->audio_rs[s] == NULL)
    {
      memcpy (out, in, n * sizeof (float));
      return n;
    }
  if (ch->audio_decim[s] == NULL)
    return fer_resampler_process (ch->audio_rs[s], in, n, out);
  gsize n_out = 0;
  while (n > 0)
    {
      gsize take = MIN (n, ch->ch_cap);
      gsize m = fer_resampler_process (ch->audio_decim[s], in, take, ch->audio_scratch);
      n_out += fer_resampler_process (ch->audio_rs[s], ch->audio_scratch, m, out + n_out);
      in += take;
      n -= take;
    }
  return n_out;
}

gsize
fer_channel_audio_block (FerChannel *ch, const float *in, gsize stride, gsize n, float *out)
{
  gsize m = 0;
  for (guint s = 0; s < ch->n_streams; s++)
    m = resample_stream (ch, s, in + s * stride, n, ch->stream_out[s]);
  if (ch->n_streams == 1)
    {
      memcpy (out, ch->stream_out[0], m * sizeof (float));
      if (ch->info->agc)
        fer_agc_process (ch->agc, out, m);
    }
  else
    {
      const float *restrict a = ch->stream_out[0], *restrict b = ch->stream_out[1];
      float *restrict o = out;
      if (ch->stereo)
        for (gsize i = 0; i < m; i++)
          {
            o[2 * i] = a[i] + b[i];
            o[2 * i + 1] = a[i] - b[i];
          }
      else
        for (gsize i = 0; i < m; i++)
          {
            o[2 * i] = a[i];
            o[2 * i + 1] = b[i];
          }
    }
  fer_iir_process (ch->highpass, out, m);
  fer_iir_process (ch->lowpass, out, m);
  return m;
}

gsize
fer_channel_resample (FerChannel *ch, const float *in, gsize n, float *out)
{
  g_return_val_if_fail (ch != NULL, 0);
  /* In pieces the internal buffers hold. */
  gsize n_out = 0;
  for (gsize done = 0; done < n;)
    {
      gsize take = MIN (n - done, ch->ch_cap);
      n_out += fer_channel_audio_block (ch, in + done, n, take, out + n_out * ch->n_streams);
      done += take;
    }
  return n_out;
}
