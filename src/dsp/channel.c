#define G_LOG_DOMAIN "fer-dsp"

/* The channel's facade: it builds the three steps (channel-private.h),
 * holds the settings that span them and runs process (). */
#include "channel-private.h"

FerChannel *
fer_channel_new (double in_rate_hz, FerMode mode, double offset_hz, double audio_rate_hz)
{
  return fer_channel_new_full (in_rate_hz, mode, offset_hz, audio_rate_hz, 0);
}

FerChannel *
fer_channel_new_full (double in_rate_hz, FerMode mode, double offset_hz, double audio_rate_hz,
                      double bandwidth_hz)
{
  if ((guint) mode >= FER_N_MODES)
    return NULL;
  if (!(in_rate_hz >= 8000 && in_rate_hz <= 20e6))
    return NULL;
  if (!(audio_rate_hz >= 8000 && audio_rate_hz <= 192000))
    return NULL;
  const FerModeInfo *info = fer_mode_info (mode);
  if (info->demod == FER_DEMOD_FM && info->wide && in_rate_hz < 200000)
    return NULL;

  FerChannel *ch = g_new0 (FerChannel, 1);
  ch->mode = mode;
  ch->info = info;
  ch->in_rate_hz = in_rate_hz;
  ch->audio_rate_hz = audio_rate_hz;
  ch->offset_hz = offset_hz;
  ch->cw_pitch_hz = CW_PITCH_HZ;
  ch->bandwidth_hz = bandwidth_hz > 0 ? CLAMP (bandwidth_hz, info->bw_min, info->bw_max)
                                       : info->bw_default;
  ch->n_streams = info->n_channels;

  if (!fer_channel_decimate_init (ch))
    goto fail;
  fer_channel_demod_init (ch);
  fer_channel_audio_init (ch);

  ch->ch_buf = g_new (float complex, ch->ch_cap);
  ch->demod_buf = g_new (float, MAX_STREAMS * ch->ch_cap);
  fer_channel_reset (ch);

  {
    g_autofree gchar *desc = fer_channel_dup_description (ch);
    g_debug ("channel: %s", desc);
  }
  return ch;

fail:
  fer_channel_free (ch);
  return NULL;
}

void
fer_channel_free (FerChannel *ch)
{
  if (ch == NULL)
    return;
  fer_channel_decimate_free (ch);
  fer_channel_demod_free (ch);
  fer_channel_audio_free (ch);
  g_free (ch->ch_buf);
  g_free (ch->demod_buf);
  g_free (ch);
}

void
fer_channel_reset (FerChannel *ch)
{
  g_return_if_fail (ch != NULL);
  fer_channel_decimate_reset (ch);
  fer_channel_demod_reset (ch);
  fer_channel_audio_reset (ch);
}

double
fer_channel_get_offset (FerChannel *ch)
{
  return ch->offset_hz;
}

FerMode
fer_channel_get_mode (FerChannel *ch)
{
  return ch->mode;
}

void
fer_channel_set_bandwidth (FerChannel *ch, double bandwidth_hz)
{
  g_return_if_fail (ch != NULL);
  const FerModeInfo *info = ch->info;
  double bw = CLAMP (bandwidth_hz, info->bw_min, info->bw_max);
  if (info->wide)
    {
      fer_channel_set_wide_bandwidth (ch, bw);
      return;
    }
  if (bw == ch->bandwidth_hz)
    return;
  ch->bandwidth_hz = bw;
  fer_channel_design_channel_filter (ch);
  double shift = fer_channel_passband_centre (ch);
  if (shift != ch->shift_hz)
    {
      ch->shift_hz = shift;
      fer_channel_retune (ch);
    }
  fer_channel_update_bfo (ch);
}

double
fer_channel_get_bandwidth (FerChannel *ch)
{
  return ch->bandwidth_hz;
}

void
fer_channel_get_passband (FerChannel *ch, double *lo_hz, double *hi_hz)
{
  double c = fer_channel_passband_centre (ch), h = ch->bandwidth_hz / 2;
  if (lo_hz)
    *lo_hz = c - h;
  if (hi_hz)
    *hi_hz = c + h;
}

guint
fer_channel_get_n_channels (FerChannel *ch)
{
  return ch->n_streams;
}

double
fer_channel_get_output_rate (FerChannel *ch)
{
  return ch->mode == FER_MODE_RAW ? ch->channel_rate_hz : ch->audio_rate_hz;
}

double
fer_channel_get_channel_rate (FerChannel *ch)
{
  return ch->channel_rate_hz;
}

double
fer_channel_get_in_rate (FerChannel *ch)
{
  return ch->in_rate_hz;
}

double
fer_channel_get_audio_rate (FerChannel *ch)
{
  return ch->audio_rate_hz;
}

gchar *
fer_channel_dup_description (FerChannel *ch)
{
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%s %.0f Hz", fer_mode_name (ch->mode), ch->in_rate_hz);
  double rate = ch->in_rate_hz;
  for (guint i = 0; i < ch->n_stages; i++)
    {
      guint d = fer_fir_get_decim (ch->stages[i]);
      rate /= d;
      g_string_append_printf (s, " -> %s/%u (%u taps) %.0f Hz",
                              fer_fir_is_halfband (ch->stages[i]) ? "half-band " : "FIR ",
                              d, fer_fir_get_n_taps (ch->stages[i]), rate);
    }
  g_string_append_printf (s, "; passband +-%.0f Hz", ch->pass_hz);
  if (ch->chan_fir)
    g_string_append_printf (s, "; channel filter %.0f Hz (%u taps)", ch->bandwidth_hz,
                            ch->chan_n_taps);
  if (ch->fm)
    g_string_append_printf (s, "; FM%s, de-emphasis %.0f us", ch->stereo ? " stereo" : "",
                            ch->deemph_s * 1e6);
  else if (ch->am)
    g_string_append (s, ch->mode == FER_MODE_AM ? "; AM envelope"
                        : ch->mode == FER_MODE_DSB ? "; DSB (Costas)" : "; AM synchronous");
  else if (ch->bfo)
    g_string_append_printf (s, "; %s, BFO %+.0f Hz", fer_mode_name (ch->mode),
                            fer_channel_bfo_hz (ch));
  else
    g_string_append (s, "; raw IQ");
  if (ch->audio_decim[0])
    g_string_append_printf (s, " -> /%u (%u taps) %.0f Hz", ch->audio_decim_factor,
                            fer_resampler_get_taps_per_phase (ch->audio_decim[0]),
                            ch->channel_rate_hz / ch->audio_decim_factor);
  guint l, m;
  if (ch->audio_rs[0] == NULL)
    g_string_append (s, " -> as is");
  else
    {
      if (fer_resampler_is_rational (ch->audio_rs[0], &l, &m))
        g_string_append_printf (s, " -> *%u/%u", l, m);
      else
        g_string_append (s, " -> fractional");
      g_string_append_printf (s, " (%u taps per output)",
                              fer_resampler_get_taps_per_phase (ch->audio_rs[0]));
    }
  g_string_append_printf (s, " %.0f Hz x %u", fer_channel_get_output_rate (ch), ch->n_streams);
  return g_string_free (s, FALSE);
}

gsize
fer_channel_process (FerChannel *ch, const float complex *in, gsize n_in, float *out)
{
  g_return_val_if_fail (ch != NULL, 0);
  gsize n_out = 0;
  while (n_in > 0)
    {
      gsize take = MIN (n_in, (gsize) BLOCK);
      gsize m = fer_channel_decimate_block (ch, in, take, ch->ch_buf);
      fer_channel_demod_block (ch, ch->ch_buf, m, ch->demod_buf, TRUE);
      n_out += fer_channel_audio_block (ch, ch->demod_buf, m, m, out + n_out * ch->n_streams);
      in += take;
      n_in -= take;
    }
  return n_out;
}
