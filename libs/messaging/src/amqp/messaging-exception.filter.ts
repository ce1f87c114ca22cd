import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC exception filter turns every non-RpcException into "Internal server error",
 * which would erase a CodedError's code before AmqpTransport maps it to the reply (and erase the real
 * error recorded in a dead-lettered message's headers). This filter hands the original error through.
 * `createServiceMicroservice` installs it globally; install it yourself if you bootstrap by hand.
 */
@Catch()
export class MessagingExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
