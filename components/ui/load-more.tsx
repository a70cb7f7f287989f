import { Button } from "./button";

/** The next page of a list (the API's nextCursor), under the rows already shown. */
export function LoadMore({
  query,
  what,
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  what: string;
}) {
  if (!query.hasNextPage) return null;
  return (
    <Button disabled={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
      {query.isFetchingNextPage ? "Loading more…" : `Load more ${what}`}
    </Button>
  );
}
