"""TF-IDF of a few texts with a fitted vectoriser, without scikit-learn's per-call checks.

scikit-learn 1.1's `TfidfVectorizer.transform` rebuilds `idf_` from a diagonal matrix on
every call to check that it is fitted, which costs more than the transform of a short
message itself. Used by the intent classifier (Rasa process) and the FAQ choice (action
server); tests compare it with scikit-learn's own transform."""

from __future__ import annotations

from typing import List

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize


def tfidf(vectorizer: TfidfVectorizer, idf: np.ndarray, texts: List[str]) -> csr_matrix:
    """`vectorizer.transform(texts)` (sublinear tf, idf, l2 norm) with its idf given."""
    counts = CountVectorizer.transform(vectorizer, texts).astype(np.float64)
    np.log(counts.data, counts.data)
    counts.data += 1.0
    counts.data *= idf[counts.indices]
    return normalize(counts, norm="l2", copy=False)
