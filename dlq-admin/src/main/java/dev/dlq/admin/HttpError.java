package dev.dlq.admin;

/** An answer other than 2xx, sent as {@code {"error": message}}; the message is for the client. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;

  HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, message);
  }

  static HttpError notFound(String message) {
    return new HttpError(404, message);
  }
}
