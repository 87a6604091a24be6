/* handoff.h - tell ThreadSanitizer about hand-offs through GLib queues.
 *
 * GLib's GMutex and GCond use futexes directly on Linux, which ThreadSanitizer
 * cannot see, so a buffer handed from one thread to another through a
 * GAsyncQueue looks like a data race to it. The sender marks the object
 * released before pushing, the receiver acquired after popping; outside a
 * TSan build these are no-ops.
 */
#pragma once

#if defined(__SANITIZE_THREAD__)
#define FER_HAVE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FER_HAVE_TSAN 1
#endif
#endif

#ifdef FER_HAVE_TSAN
void __tsan_acquire (void *addr);
void __tsan_release (void *addr);
#define FER_HANDOFF_RELEASE(p) __tsan_release ((void *) (p))
#define FER_HANDOFF_ACQUIRE(p) __tsan_acquire ((void *) (p))
#else
#define FER_HANDOFF_RELEASE(p) ((void) (p))
#define FER_HANDOFF_ACQUIRE(p) ((void) (p))
#endif
