/** A response whose body is followed, and how to stop it when nobody will read it. */
export interface FollowedBody {
  /** The same status and headers, with a body that reports its end. */
  readonly response: Response;
  /** Cancels the body (its source too), for a client that is gone. */
  readonly cancel: (reason: unknown) => void;
}

/**
 * Returns `response` with its body passed through a stream that calls
 * `onDone` once, when the server read it to its end, it failed, or it was
 * cancelled (the server could not send it): until then a streamed body's
 * source may still run for the request. Hand-written because web streams
 * have no end event; a `TransformStream`'s `cancel` hook is too new to rely
 * on in every runtime. `highWaterMark: 0` pulls only as the server reads, so
 * the source's pace is the server's, as it was.
 */
export function followBody(response: Response, onDone: () => void): FollowedBody {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let done = false;
  const finish = () => {
    if (done) return false;
    done = true;
    onDone();
    return true;
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
      },
      async pull(streamController) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          finish();
          streamController.error(error);
          return;
        }
        if (chunk.done) {
          finish();
          streamController.close();
        } else streamController.enqueue(chunk.value);
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return {
    response: new Response(body, response),
    cancel(reason) {
      if (!finish()) return;
      reader.cancel(reason).catch(() => undefined);
      try {
        controller?.error(reason);
      } catch {
        // Already closed or errored by the server's own cancel: nothing more to stop.
      }
    },
  };
}
