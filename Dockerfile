# graphmem: the library, CLI and REST API (graphmem serve), wired to Neo4j + Qdrant by env.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graphmem ./graphmem
COPY api ./api
COPY cypher ./cypher
RUN pip install --no-cache-dir '.[neo4j,api]'
ENV GRAPHMEM_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
CMD ["graphmem", "serve", "--host", "0.0.0.0", "--port", "8000"]
